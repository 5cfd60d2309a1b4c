"""E-mails about a plan's workflow: who hears of which step, and what they read."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role

from .models import ActionPlan

# submitted: the reviewers; changes requested or approved: the authors.
AUDIENCE = {"submitted": "reviewers", "changes_requested": "authors", "approved": "authors"}


def recipients(plan: ActionPlan, event: str) -> list[str]:
    pairing = plan.pairing
    if AUDIENCE[event] == "reviewers":
        memberships = Membership.objects.filter(
            role=Role.OFFICER, city_id=pairing.mentor_id
        ) | Membership.objects.filter(role=Role.EXPERT, scheme_id=pairing.scheme_id)
    else:
        memberships = Membership.objects.filter(role=Role.OFFICER, city_id=pairing.implementing_id)
    return sorted(
        set(memberships.filter(user__is_active=True).values_list("user__email", flat=True))
    )


def send(plan: ActionPlan, event: str) -> int:
    """Send the e-mails of this step; returns how many were sent."""
    to = recipients(plan, event)
    if not to:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("actionplans:plan", kwargs={"pk": plan.pk})
    last = plan.transitions.order_by("-at", "-pk").first()
    context = {"plan": plan, "link": link, "step": last, "event": event}
    with translation.override(settings.LANGUAGE_CODE):
        subjects = {
            "submitted": _("Action plan to review: %(title)s"),
            "changes_requested": _("Changes requested on your action plan: %(title)s"),
            "approved": _("Your action plan is approved: %(title)s"),
        }
        subject = subjects[event] % {"title": plan.title}
        body = render_to_string(f"actionplans/email/{event}.txt", context)
    return send_mass_mail([(subject, body, None, [address]) for address in to])
