"""Signing in, out, password reset and two-factor authentication, as a person does it."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

DEMO_LOGINS = [
    "coordinator@example.org",
    "expert@example.org",
    "partner@example.org",
    "officer.gdansk@example.org",
    "supervisor.brighton-hove@example.org",
]


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_every_role_signs_in_and_lands_on_its_home(client, demo, settings, email):
    response = sign_in(client, email, settings.DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Welcome," in home.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, demo):
    response = sign_in(client, "coordinator@example.org", "not the password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out(client, demo, settings):
    sign_in(client, "officer.riga@example.org", settings.DEMO_PASSWORD)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Cities learning from cities" in client.get(reverse("home")).content.decode()


def test_self_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "intruder@example.org",
            "password1": "x-Long-enough-1",
            "password2": "x-Long-enough-1",
        },
    )
    from accounts.models import User

    assert not User.objects.filter(email="intruder@example.org").exists()


def test_password_reset_by_e_mail(client, demo):
    response = client.post(reverse("account_reset_password"), {"email": "officer.riga@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a fresh riga passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    assert sign_in(client, "officer.riga@example.org", new_password).status_code == 302
    assert "_auth_user_id" in client.session


def current_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def test_two_factor_authentication_with_an_authenticator_app(client, demo, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    sign_in(client, "supervisor.gdansk@example.org", settings.DEMO_PASSWORD)
    # Changing security settings asks for the password again first.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))
    client.post(asked.url, {"password": settings.DEMO_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]

    wrong_code = "000000" if current_code(secret) != "000000" else "111111"
    wrong = client.post(reverse("mfa_activate_totp"), {"code": wrong_code})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(
        user__email="supervisor.gdansk@example.org", type=Authenticator.Type.TOTP
    ).exists()

    client.post(reverse("account_logout"))
    after_password = sign_in(client, "supervisor.gdansk@example.org", settings.DEMO_PASSWORD)
    assert after_password.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret, offset=1)})
    assert done.status_code == 302
    assert "_auth_user_id" in client.session
