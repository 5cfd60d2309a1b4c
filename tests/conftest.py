import pytest
from django.core.management import call_command

from accounts.models import User
from mentoring.models import Programme


@pytest.fixture
def demo(db) -> Programme:
    """The CITIES-GROW demo programme with its demo people, without the demo staff time."""
    call_command("seed_demo", verbosity=0, without_staff_time=True)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_with_staff_time(db) -> Programme:
    """The whole demo, with time entries, signed months and rates."""
    call_command("seed_demo", verbosity=0)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_user(demo):
    def get(email: str) -> User:
        return User.objects.get(email=email)

    return get
