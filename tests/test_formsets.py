"""Every formset is capped (issue 14, finding 9).

A formset builds as many forms as the posted TOTAL_FORMS says, up to its ``absolute_max``
(Django's default is max_num + 1,000). A tampered count of 100,000 then cost a hundred normal
requests and came back as a 1.2 MB page. Each formset class of the project has a small
``absolute_max`` and ``validate_max``, found here by walking the project's modules; and each page
with a formset answers such a count with a short page, a form error and few queries.

The month grid is not a formset: it reads the fields of the month's own days, whatever else is
posted (and Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields before any view runs).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import reverse

from mentoring.forms.events import RecommendationFormSet
from toolkits.forms.manage import SuccessFactorFormSet

from .mentoring.event_factories import build_world
from .toolkits.factories import build_toolkit_world, published, toolkit_with

# No formset needs more rows than this; each has its own, smaller cap.
LARGEST_CAP = 100
TAMPERED = 100_000


def project_modules():
    """Import every module of the project's own apps (not their migrations)."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != root:
            continue
        package = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def project_formsets() -> set[type[BaseFormSet]]:
    """The formset classes the project made (with formset_factory and its model variants)."""
    project_modules()
    local = {config.name for config in apps.get_app_configs()}
    return {
        cls
        for cls in subclasses(BaseFormSet)
        if hasattr(cls, "form")
        and (cls.form.__module__.split(".")[0] in local)
        and Path(importlib.import_module(cls.form.__module__).__file__)
        .resolve()
        .is_relative_to(Path(settings.BASE_DIR).resolve())
    }


def test_every_formset_is_capped():
    formsets = project_formsets()
    assert {RecommendationFormSet, SuccessFactorFormSet} <= formsets, formsets
    loose = [
        f"{cls.form.__module__}.{cls.__name__}: max_num {cls.max_num}, absolute_max "
        f"{cls.absolute_max}, validate_max {cls.validate_max}"
        for cls in formsets
        if not (cls.validate_max and cls.max_num <= cls.absolute_max <= LARGEST_CAP)
    ]
    assert not loose, "formsets without a small cap:\n" + "\n".join(loose)


# Each page with a formset, posted a tampered count ------------------------------------------


@dataclass
class FormsetPage:
    prefix: str
    open: Callable[[], tuple[Client, str]]  # a signed-in client and the page's address


def report_page() -> tuple[Client, str]:
    world = build_world()
    client = Client()
    client.force_login(world["other_city_officer"])
    return client, reverse("mentoring:event_report", args=[world.held.pk])


def factors_page() -> tuple[Client, str]:
    world = build_toolkit_world()
    toolkit = toolkit_with(world, [published(world, title="Ghent splits tenders into lots")])
    client = Client()
    client.force_login(world.expert)
    return client, reverse("toolkits:toolkit_factors", kwargs={"slug": toolkit.slug})


PAGES = {
    RecommendationFormSet: FormsetPage("recommendations", report_page),
    SuccessFactorFormSet: FormsetPage("factors", factors_page),
}


def test_every_formset_has_its_page_here():
    assert set(PAGES) == project_formsets()


@pytest.mark.django_db
@pytest.mark.parametrize("formset", list(PAGES), ids=lambda cls: cls.__name__)
def test_a_tampered_count_is_refused_cheaply(formset, django_assert_max_num_queries):
    page = PAGES[formset]
    client, url = page.open()
    data = {
        f"{page.prefix}-TOTAL_FORMS": str(TAMPERED),
        f"{page.prefix}-INITIAL_FORMS": "0",
        f"{page.prefix}-MIN_NUM_FORMS": "0",
        f"{page.prefix}-MAX_NUM_FORMS": str(TAMPERED),
        "findings": "Seen",
    }
    with django_assert_max_num_queries(20):
        response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Please submit at most {formset.absolute_max} forms." in body
    # The cap's forms and nothing more: a normal page, not 100,000 rows.
    assert body.count(f'name="{page.prefix}-') <= 4 * formset.absolute_max + 4
    assert len(response.content) < 200_000
