from celery import shared_task
from django.conf import settings

from .models import Invitation
from .services import invitation_send


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int) -> str:
    invitation = Invitation.objects.select_related("programme", "scheme", "city").get(
        pk=invitation_id
    )
    invitation_send(invitation=invitation, base_url=settings.SITE_URL)
    return invitation.email
