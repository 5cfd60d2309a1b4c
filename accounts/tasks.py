from celery import shared_task
from django.conf import settings

from .models import Invitation
from .services import invitation_send


# It returns nothing and keeps no result: a result backend that is down cannot hold it up.
@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True
)
def send_invitation(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("programme", "scheme", "city")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:  # withdrawn or accepted while the e-mail waited for the queue
        return
    invitation_send(invitation=invitation, base_url=settings.SITE_URL)


@shared_task(ignore_result=True)
def forget_old_api_requests() -> None:
    """Daily: the log of API requests older than TANDEM_API_LOG_KEEP_DAYS goes."""
    from .services import api_requests_forget

    api_requests_forget()
