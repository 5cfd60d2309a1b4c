"""Signals of the job pipeline: an app that wants to tell the person who asked for a job that it
is ready, or why it failed, listens here (its ``notifications`` module does), so the pipeline
needs to know nobody."""

from django.dispatch import Signal

# sender: the job's model; job: the job, with its outcome. Sent after the outcome is committed.
job_done = Signal()
job_failed = Signal()
