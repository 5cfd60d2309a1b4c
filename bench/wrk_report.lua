-- wrk script of bench/scale.py: counts answers other than 200 and prints one JSON line with the
-- figures the benchmark keeps (latencies in microseconds), including the p95 wrk does not print.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "rps": %.2f, "bytes_read": %d, ' ..
    '"mean_us": %.0f, "stdev_us": %.0f, "max_us": %d, "p50_us": %d, "p75_us": %d, ' ..
    '"p90_us": %d, "p95_us": %d, "p99_us": %d, "non200": %d, "errors": %d, ' ..
    '"errors_detail": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    summary.bytes, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), not_ok,
    e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout))
end
