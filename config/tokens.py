"""Bearer secrets (the part of an address that stands for a person, such as a calendar feed's):
made with enough entropy that guessing is hopeless, stored only as their SHA-256, so that a copy
of the database, a backup or an admin page gives no working link. The secret is shown once, when
it is made; a lookup hashes what the address carries and looks for the hash."""

import hashlib
import secrets


def secret_hash(secret: str) -> str:
    """The stored form of a secret: 64 hexadecimal digits. A fast hash is enough, since the
    secret has 256 bits of entropy and is never chosen by a person."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> tuple[str, str]:
    """(secret, its hash): the secret to show once, the hash to store."""
    secret = secrets.token_urlsafe(32)
    return secret, secret_hash(secret)
