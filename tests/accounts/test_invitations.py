"""A coordinator invites a person by e-mail; the link lets them choose a password."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.models import Invitation, Membership, Role, User
from accounts.services import INVITATION_SALT, invitation_create, invitation_token
from cities.models import City


@pytest.fixture
def coordinator_client(client, demo, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    return client


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form and run what waits for the commit (the e-mail task)."""

    def post(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("portal:invitations"), data)

    return post


def link_in_last_mail() -> str:
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", mail.outbox[-1].body)[1]


def test_coordinator_invites_an_officer_who_sets_a_password(coordinator_client, client, invite):
    gdansk = City.objects.get(slug="gdansk")
    response = invite(
        coordinator_client,
        email="New.Officer@Example.org",
        full_name="Nowa Urzędniczka",
        role=Role.OFFICER,
        where=f"city:{gdansk.pk}",
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.officer@example.org"]
    assert "as City officer for Gdańsk" in mail.outbox[-1].body
    link = link_in_last_mail()
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "new.officer@example.org" in page.content.decode()

    mismatch = client.post(
        link, {"full_name": "N", "password1": "a-long-pass-1", "password2": "other-2"}
    )
    assert mismatch.status_code == 400
    assert "The two passwords differ." in mismatch.content.decode()
    weak = client.post(link, {"full_name": "N", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 400
    assert "too common" in weak.content.decode()
    assert not User.objects.filter(email="new.officer@example.org").exists()

    done = client.post(
        link,
        {
            "full_name": "Nowa Urzędniczka",
            "password1": "gdansk harbour 1997",
            "password2": "gdansk harbour 1997",
        },
    )
    assert done.status_code == 302
    person = User.objects.get(email="new.officer@example.org")
    assert person.full_name == "Nowa Urzędniczka"
    assert Membership.objects.filter(user=person, role=Role.OFFICER, city=gdansk).exists()
    assert client.session["_auth_user_id"] == str(person.pk)

    reused = client.get(link)
    assert reused.status_code == 400
    assert "already been used" in reused.content.decode()


def test_the_role_must_match_what_it_is_for(coordinator_client, demo, invite):
    response = invite(
        coordinator_client, email="x@example.org", role=Role.OFFICER, where=f"programme:{demo.pk}"
    )
    assert response.status_code == 400
    assert "acts for a city" in response.content.decode()
    assert not Invitation.objects.exists()


def test_missing_fields_get_messages(coordinator_client, invite):
    response = invite(coordinator_client, email="not-an-address", role="", where="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert body.count("This field is required.") == 2


def test_an_expert_is_invited_to_a_scheme(coordinator_client, demo, invite):
    scheme = demo.schemes.get(code="C")
    invite(
        coordinator_client, email="mpi@example.org", role=Role.EXPERT, where=f"scheme:{scheme.pk}"
    )
    invitation = Invitation.objects.get(email="mpi@example.org")
    assert invitation.scheme == scheme
    assert invitation.sent_at is not None


def test_an_existing_person_gains_the_role_after_signing_in(
    coordinator_client, client, demo, demo_user, invite
):
    officer = demo_user("officer.riga@example.org")
    riga = City.objects.get(slug="riga")
    invite(coordinator_client, email=officer.email, role=Role.SUPERVISOR, where=f"city:{riga.pk}")
    link = link_in_last_mail()
    client.logout()
    assert "You already have an account" in client.get(link).content.decode()
    client.force_login(officer)
    assert client.post(link).status_code == 302
    assert officer.memberships.filter(role=Role.SUPERVISOR, city=riga).exists()


def test_only_coordinators_reach_the_invitations_page(client, demo, demo_user, invite):
    for email in ("expert@example.org", "officer.gdansk@example.org", "partner@example.org"):
        client.force_login(demo_user(email))
        assert client.get(reverse("portal:invitations")).status_code == 403
        assert (
            invite(client, email="a@example.org", role=Role.PARTNER, where="x").status_code == 403
        )
    client.logout()
    assert client.get(reverse("portal:invitations")).status_code == 302


def test_a_coordinator_cannot_invite_into_another_programme(coordinator_client, invite):
    from tests.mentoring.factories import ProgrammeFactory

    other = ProgrammeFactory()
    response = invite(
        coordinator_client, email="a@example.org", role=Role.PARTNER, where=f"programme:{other.pk}"
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_expired_or_forged_link_is_refused(client, demo, demo_user, settings):
    invitation = invitation_create(
        email="late@example.org",
        role=Role.PARTNER,
        programme=demo,
        by=demo_user("coordinator@example.org"),
    )
    settings.INVITATION_VALID_DAYS = 0
    expired = client.get(reverse("accounts:invitation_accept", args=[invitation_token(invitation)]))
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()
    forged = signing.dumps(
        {"id": invitation.pk, "email": "late@example.org"}, salt="wrong" + INVITATION_SALT
    )
    assert client.get(reverse("accounts:invitation_accept", args=[forged])).status_code == 400


def test_withdrawing_an_invitation_kills_its_link(coordinator_client, client, demo, invite):
    invite(
        coordinator_client,
        email="gone@example.org",
        role=Role.PARTNER,
        where=f"programme:{demo.pk}",
    )
    invitation = Invitation.objects.get(email="gone@example.org")
    link = link_in_last_mail()
    coordinator_client.post(reverse("portal:invitation_revoke", args=[invitation.pk]))
    assert not Invitation.objects.exists()
    client.logout()
    assert "withdrawn" in client.get(link).content.decode()


def test_the_service_holds_the_rules_too(demo, demo_user):
    from django.core.exceptions import ValidationError

    from tests.mentoring.factories import ProgrammeFactory

    coordinator = demo_user("coordinator@example.org")
    with pytest.raises(ValidationError, match="programmes you coordinate"):
        invitation_create(
            email="a@example.org", role=Role.PARTNER, programme=ProgrammeFactory(), by=coordinator
        )
    with pytest.raises(ValidationError) as error:
        invitation_create(email="a@example.org", role=Role.OFFICER, programme=demo, by=coordinator)
    assert "city" in error.value.message_dict
    officer = demo_user("officer.gdansk@example.org")
    with pytest.raises(ValidationError):
        invitation_create(email="a@example.org", role=Role.PARTNER, programme=demo, by=officer)
    assert not Invitation.objects.exists()
