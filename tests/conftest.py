import pytest
from django.test.utils import override_settings
from django.utils import translation

from accounts.models import User
from mentoring.models import Programme
from tests.demo_copy import seed_demo


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Files the tests store go to a folder of this test process, never to var/media, which the
    developer's portal uses and which pytest-xdist workers would share. (Tests that look at the
    folder, or share it with a worker process, still set one of their own.)"""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request through the test client leaves its
    language active in the thread (LocaleMiddleware does not deactivate it), so a test after a
    German page would otherwise run, and seed the demo, in German."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """A transactional test (live server, real worker) ends by emptying every table, the rows of
    data migrations included; put them back for the next one, as a migrated database has them.
    pytest-django runs these tests after all the others."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    # The only such rows: the Integrating Cities Charter framework (mentoring's migration 0010).
    from mentoring.services.frames import preset_framework

    preset_framework("integrating-cities-charter")


@pytest.fixture
def demo(db) -> Programme:
    """The CITIES-GROW demo programme with its demo people, without the demo staff time and
    action plans (the fixtures below add them) and without the second programme, ICP AGIR
    (``demo_agir``). Seeded once per test process, then copied (tests/demo_copy.py)."""
    seed_demo(without_staff_time=True, without_plans=True, without_second_programme=True)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_with_plans(db) -> Programme:
    """The demo with its eight action plans, one at each stage."""
    seed_demo(without_staff_time=True, without_second_programme=True)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_agir(db) -> Programme:
    """Both demo programmes, without staff time and action plans: returns ICP AGIR."""
    seed_demo(without_staff_time=True, without_plans=True)
    return Programme.objects.get(slug="icp-agir")


@pytest.fixture
def demo_with_staff_time(db) -> Programme:
    """The whole demo, with time entries, signed months and rates."""
    seed_demo(without_second_programme=True)
    return Programme.objects.get(slug="cities-grow")


@pytest.fixture
def demo_user(demo):
    def get(email: str) -> User:
        return User.objects.get(email=email)

    return get
