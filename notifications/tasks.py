"""Celery tasks of notifications: thin, each calls one service."""

from celery import shared_task


# Sending an e-mail may fail for a while (the relay is down): try again, the service sends each
# notification once.
@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8, ignore_result=True
)
def deliver_notifications(key: str) -> None:
    from .services import deliver

    deliver(key)


@shared_task(ignore_result=True)
def send_digests() -> None:
    from .services import send_digests as send

    send()


@shared_task(ignore_result=True)
def send_reminders() -> None:
    from .services import run_reminders

    run_reminders()


@shared_task(ignore_result=True)
def forget_old_notifications() -> None:
    from .services import forget_old

    forget_old()
