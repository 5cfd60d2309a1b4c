"""A staff-cost report job for the fault tests that holds at 10 % until a gate file exists, so a
test can kill its worker mid-job at a moment it chooses. A worker loads it with
``--include tests.documents.held_job``; TANDEM_TEST_GATE names the gate. Each run writes
``start <attempt>`` and, once through the gate, ``end <attempt>`` to runs.log beside it."""

import os
import time
from pathlib import Path

from documents import jobs
from reporting.models import StaffCostReport

LOOKS = 6000  # at most ten minutes at the gate: the test opens it or kills the worker first


def produce(job, progress) -> jobs.Produced:
    gate = Path(os.environ["TANDEM_TEST_GATE"])
    runs = gate.with_name("runs.log")
    with runs.open("a") as log:
        log.write(f"start {job.attempts}\n")
    for _look in range(LOOKS):
        if gate.exists():
            break
        progress(10, "Held at the gate")
        time.sleep(0.1)
    with runs.open("a") as log:
        log.write(f"end {job.attempts}\n")
    return jobs.Produced(
        files={"csv": jobs.Output(b"held,job\n", "held.csv", "text/csv")}, note="Through the gate"
    )


build_held = jobs.job_task(
    "tests.documents.held_job.build_held",
    model=StaffCostReport,
    produce="tests.documents.held_job.produce",
    too_long="The held job took too long.",
    failed="The held job failed: %(error)s",
)
