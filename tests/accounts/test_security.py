"""Security settings: the Content-Security-Policy, production headers, sign-in rate limits and
the two-factor authentication that coordinators' and supervisors' roles can require."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.accounts.test_sign_in import current_code, sign_in

ROOT = Path(__file__).resolve().parents[2]

# Templates that WeasyPrint renders into PDFs: never served to a browser, so their <style> is
# not subject to the page policy.
PDF_TEMPLATES = ("templates/documents/", "templates/toolkits/pdf/", "templates/actionplans/pdf/")
# Nor are the HTML parts of e-mails (templates/<app>/email/), whose style must be inline: mail
# clients drop <style> elements and linked style sheets.
EMAIL_FOLDER = "/email/"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_served_template_holds_inline_script_or_style():
    """The policy forbids inline code; a template that carried some would break in browsers."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(PDF_TEMPLATES) or EMAIL_FOLDER in relative:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {what}")
    assert found == []


@pytest.mark.parametrize("url_name", ["home", "toolkits:catalogue", "account_login"])
def test_every_page_carries_a_strict_content_security_policy(client, db, url_name):
    policy = client.get(reverse(url_name))["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def test_signed_in_pages_carry_the_policy_and_frame_denial(client, demo, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def production_environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "tandem.example.org",
    }


def test_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_force_https_and_protect_cookies():
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, "
        "s.SECURE_REFERRER_POLICY, sorted(s.TANDEM_2FA_REQUIRED_ROLES), "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "DENY",
        "same-origin",
        "['coordinator',",
        "'supervisor']",
        "[\"'self'\"]",
    ]


def test_repeated_failed_sign_ins_are_rate_limited(client, demo, settings):
    """Base settings allow five failed attempts per account in five minutes (tests turn the
    limits off; this test turns them back on)."""
    from config.settings.base import ACCOUNT_RATE_LIMITS

    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS
    pages = [
        sign_in(client, "officer.riga@example.org", "wrong password").content.decode()
        for _ in range(6)
    ]
    assert all("not correct" in page for page in pages[:5])
    assert "Too many failed sign-in attempts" not in pages[4]
    assert "Too many failed login attempts" in pages[5]
    # Even the right password is refused until the limit has passed.
    refused = sign_in(client, "officer.riga@example.org", settings.DEMO_PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = client.post(
        reverse("account_login"),
        {"login": "officer.gdansk@example.org", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


@pytest.fixture
def two_factor_required(settings):
    settings.TANDEM_2FA_REQUIRED_ROLES = ["coordinator", "supervisor"]


@pytest.mark.parametrize("email", ["coordinator@example.org", "supervisor.gdansk@example.org"])
def test_required_roles_are_sent_to_set_up_two_factor_first(
    client, demo, settings, two_factor_required, email
):
    sign_in(client, email, settings.DEMO_PASSWORD)
    for url in [reverse("home"), demo.get_absolute_url(), reverse("reporting:my_time")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")
    # The set-up page itself, via the password check allauth asks for, is reachable.
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked.url, {"password": settings.DEMO_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "two-factor authentication" in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    settings.MFA_TOTP_TOLERANCE = 1
    assert client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}).status_code
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    "email", ["officer.gdansk@example.org", "expert@example.org", "partner@example.org"]
)
def test_other_roles_are_not_asked_for_two_factor(
    client, demo, settings, two_factor_required, email
):
    sign_in(client, email, settings.DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_nothing_is_required_when_the_setting_is_empty(client, demo, settings):
    settings.TANDEM_2FA_REQUIRED_ROLES = []
    sign_in(client, "coordinator@example.org", settings.DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_a_required_authenticator_cannot_be_removed(
    client, demo, demo_user, settings, two_factor_required
):
    coordinator = demo_user("coordinator@example.org")
    TOTP.activate(coordinator, generate_totp_secret())
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200
    asked = client.get(reverse("mfa_deactivate_totp"))
    if asked.status_code == 302:
        client.post(asked.url, {"password": settings.DEMO_PASSWORD})
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 200
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    # Without the requirement the same person may remove it.
    settings.TANDEM_2FA_REQUIRED_ROLES = []
    removed = client.post(reverse("mfa_deactivate_totp"))
    assert removed.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator).exists()
