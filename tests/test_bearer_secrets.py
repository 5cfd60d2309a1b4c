"""Bearer secrets are stored only as hashes (issue 14, finding 10).

A field of the project's own models that holds a token, a key or a secret keeps its SHA-256
(config.tokens), never the secret itself: a copy of the database, a backup or an admin page gives
no working link. Invitation links need no stored secret at all: they are signed (with the
project's SECRET_KEY, and an expiry) and name the invitation, which must still be open.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from accounts.models import Invitation
from config.tokens import new_secret, secret_hash

SECRET_NAME = re.compile(r"token|secret|key", re.IGNORECASE)


def project_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent == root:
            yield from config.get_models()


def test_secret_fields_hold_hashes():
    fields = [
        (model._meta.label, field.name)
        for model in project_models()
        for field in model._meta.concrete_fields
        if SECRET_NAME.search(field.name) and not field.is_relation
    ]
    assert ("mentoring.CalendarToken", "token_hash") in fields
    plain = [f"{label}.{name}" for label, name in fields if not name.endswith("_hash")]
    assert not plain, f"secrets stored as they are: {plain}"


def test_invitations_store_no_secret():
    names = {field.name for field in Invitation._meta.concrete_fields}
    assert not {name for name in names if SECRET_NAME.search(name)}


def test_a_new_secret_and_its_hash():
    secret, hashed = new_secret()
    assert len(secret) >= 43  # 32 random bytes
    assert hashed == secret_hash(secret)
    assert len(hashed) == 64
    assert secret not in hashed
    assert new_secret()[0] != secret
