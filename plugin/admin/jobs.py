"""Console writes on the outbox: requeue a dead-lettered job (audited in the same commit)."""

from __future__ import annotations

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.retention import outbox


class JobError(Exception):
    """The job cannot be retried; the message names ids only."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def retry_dead_job(job_id: int, actor: Actor) -> OutboxJob:
    """Put one dead job back in the queue with fresh attempts (retention's requeue), audited."""
    job = db.session.get(OutboxJob, job_id)
    if job is None:
        raise JobError(f"No job {job_id}")
    if job.status != "dead":
        raise JobError(f"Job {job_id} is {job.status}; only dead jobs can be retried")
    if outbox.requeue([job_id]) != [job_id]:
        db.session.rollback()
        raise JobError(f"Job {job_id} was changed meanwhile; reload the page")
    audit.record(
        audit.actions.ADMIN_ACTION,
        actor=actor,
        subject_id=job.subject_id,
        details={"operation": "outbox_retry", "job": job_id, "console": "admin"},
    )
    db.session.commit()
    return job
