"""The migrations that turn the fixed vocabulary into a programme's frame (issue 15) keep what
existing data chose: rows written with the models as they were before, migrated forward, then
read with today's models (and back again, since every data migration has a reverse)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    # The people's app as it is now (its time zone and current programme need no more than
    # mentoring 0008), so that the person written below has every column the table has.
    ("accounts", "0005_user_current_programme"),
    ("mentoring", "0008_programme_old_slugs"),
    ("cities", "0002_city_old_slugs"),
    ("toolkits", "0004_rendering_job_lease_and_fingerprint"),
    ("actionplans", "0002_planpdf_job_lease_and_fingerprint"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's last migration: going back to BEFORE also took back the apps that build on
    these (reporting's exchange rates build on mentoring's currency)."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_world(apps) -> dict:
    """Two programmes, a signatory city, a scheme and a practice tagged with the old codes, and a
    published edition whose frozen content holds codes, written with the old models."""
    Programme = apps.get_model("mentoring", "Programme")
    fields = {
        "starts_on": date(2016, 10, 1),
        "ends_on": date(2018, 9, 30),
        "budget": Decimal(1000),
        "co_financing_rate": Decimal("0.1"),
        "staff_days_allowance": 30,
    }
    grow = Programme.objects.create(name="Grow", slug="grow", **fields)
    other = Programme.objects.create(name="Other", slug="other", **fields)
    City = apps.get_model("cities", "City")
    ghent = City.objects.create(
        name="Ghent",
        slug="ghent",
        country="BE",
        latitude=Decimal(51),
        longitude=Decimal(3),
        charter_signatory=True,
        charter_signed_on=date(2010, 5, 1),
    )
    City.objects.create(
        name="Riga", slug="riga", country="LV", latitude=Decimal(56), longitude=Decimal(24)
    )
    organisation = apps.get_model("mentoring", "ExpertOrganisation").objects.create(name="MPG")
    Scheme = apps.get_model("mentoring", "Scheme")
    scheme = Scheme.objects.create(
        programme=grow, code="A", theme="Buyers", facilitator=organisation
    )
    Commitment = apps.get_model("mentoring", "CharterCommitment")
    scheme.commitments.set(Commitment.objects.filter(number__in=[9, 11]))
    Scheme.objects.create(programme=other, code="X", theme="Else", facilitator=organisation)
    author = apps.get_model("accounts", "User").objects.create(email="old@example.org")
    TargetGroup = apps.get_model("toolkits", "TargetGroup")
    practice = apps.get_model("toolkits", "GoodPractice").objects.create(
        city=ghent,
        scheme=scheme,
        title="Supplier days",
        slug="supplier-days",
        summary="s",
        challenge="c",
        actions="a",
        results="r",
        transferability="t",
        started_on=date(2017, 1, 1),
        author=author,
        currency="BGN",
        language="ga",
    )
    practice.target_groups.set(TargetGroup.objects.filter(code__in=["women", "entrepreneurs"]))
    practice.commitments.set(Commitment.objects.filter(number=9))
    toolkit = apps.get_model("toolkits", "Toolkit").objects.create(
        scheme=scheme, title="Buyers", slug="buyers"
    )
    apps.get_model("toolkits", "ToolkitEdition").objects.create(
        toolkit=toolkit,
        number=1,
        published_on=date(2018, 1, 1),
        published_by=author,
        content_hash="x",
        snapshot={"practices": [{"target_groups": ["women"], "commitments": [9]}]},
    )
    return {"grow": grow.pk, "other": other.pk, "ghent": ghent.pk, "practice": practice.pk}


@pytest.mark.django_db(transaction=True)
def test_the_charter_and_the_target_groups_become_each_programmes_frame():
    try:
        migrated_forth_and_back()
    finally:
        migrate(latest())  # whatever failed, the next tests find the database as it should be


def migrated_forth_and_back():
    ids = old_world(migrate(BEFORE))
    migrate(latest())

    from cities.models import City
    from mentoring.models import FrameworkSignature, Programme
    from toolkits.models import GoodPractice, TargetGroup, ToolkitEdition

    grow, other = Programme.objects.get(pk=ids["grow"]), Programme.objects.get(pk=ids["other"])
    charter = grow.framework
    assert charter.name == "Integrating Cities Charter"
    assert other.framework == charter  # every existing programme gets it
    assert [(c.number, c.group.name) for c in charter.commitments.filter(number__in=[1, 9])] == [
        (1, "Policy-makers"),
        (9, "Buyers of goods and services"),
    ]
    scheme = grow.schemes.get()
    assert sorted(scheme.commitments.values_list("number", flat=True)) == [9, 11]
    # Signatures: Ghent signed the Charter on the same date; Riga signed nothing.
    signature = FrameworkSignature.objects.get()
    assert (signature.city_id, signature.framework, signature.signed_on) == (
        ids["ghent"],
        charter,
        date(2010, 5, 1),
    )
    assert not City.objects.get(slug="riga").framework_signatures.exists()
    # Twelve target groups in each programme; the practice keeps its two, now its programme's.
    assert grow.target_groups.count() == other.target_groups.count() == 12
    practice = GoodPractice.objects.get(pk=ids["practice"])
    assert sorted(g.name for g in practice.target_groups.all()) == [
        "Migrant entrepreneurs",
        "Migrant women",
    ]
    assert {g.programme_id for g in practice.target_groups.all()} == {grow.pk}
    assert [c.number for c in practice.commitments.all()] == [9]
    assert not TargetGroup.objects.filter(programme__isnull=True).exists()
    # Stored codes stay valid: a budget in leva and a practice in Irish.
    practice.full_clean(exclude=["slug", "author"])
    # The published edition names what it showed.
    snapshot = ToolkitEdition.objects.get().snapshot["practices"][0]
    assert snapshot == {
        "target_groups": ["Migrant women"],
        "commitments": ["9. Apply equality and diversity principles in procurement"],
    }

    # And back: the old shape with the same choices.
    apps = migrate(BEFORE)
    OldCity = apps.get_model("cities", "City")
    assert OldCity.objects.get(pk=ids["ghent"]).charter_signatory is True
    old_practice = apps.get_model("toolkits", "GoodPractice").objects.get(pk=ids["practice"])
    assert sorted(g.code for g in old_practice.target_groups.all()) == ["entrepreneurs", "women"]
    assert [c.number for c in old_practice.commitments.all()] == [9]
