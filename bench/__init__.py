"""Benchmarks; run them as scripts (see README.md). Not collected by pytest."""
