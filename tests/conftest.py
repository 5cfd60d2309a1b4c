import pytest
from django.core.management import call_command

from accounts.models import User
from mentoring.models import Programme


@pytest.fixture
def demo(db) -> Programme:
    """The CITIES-GROW demo programme with its demo people."""
    call_command("seed_demo", verbosity=0)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_user(demo):
    def get(email: str) -> User:
        return User.objects.get(email=email)

    return get
