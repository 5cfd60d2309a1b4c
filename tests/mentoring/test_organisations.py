"""Who owns an expert organisation (issue 14, finding 2): the coordinators of the programmes it
facilitates, or, while it facilitates nothing, the coordinator who added it. The permission says
why it refuses; the service asks it on the stored row, so no path edits another's organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import ExpertOrganisation
from mentoring.permissions import can_edit_organisation
from mentoring.services.programmes import organisation_save
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.mentoring.factories import SchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two programmes, each with a coordinator and a scheme facilitated by its own
    organisation; and an organisation the first coordinator added that facilitates nothing."""
    ours = CoordinatorFactory()
    theirs = CoordinatorFactory()
    our_scheme = SchemeFactory(programme=ours.programme)
    their_scheme = SchemeFactory(programme=theirs.programme)
    added = organisation_save(organisation=ExpertOrganisation(name="Newly added"), by=ours.user)
    return {
        "me": ours.user,
        "other": theirs.user,
        "mine": our_scheme.facilitator,
        "theirs": their_scheme.facilitator,
        "added": added,
        "their_programme": theirs.programme,
    }


def test_the_owner_of_each_kind_of_organisation(world):
    me, other = world["me"], world["other"]
    assert can_edit_organisation(me, world["mine"]) == (True, "")
    assert can_edit_organisation(me, world["added"]) == (True, "")
    assert can_edit_organisation(other, world["theirs"]) == (True, "")

    allowed, reason = can_edit_organisation(me, world["theirs"])
    assert not allowed
    assert "programmes you do not coordinate" in reason
    allowed, reason = can_edit_organisation(other, world["added"])
    assert not allowed
    assert "only the coordinator who added it" in reason
    allowed, reason = can_edit_organisation(UserFactory(), world["mine"])
    assert not allowed
    assert "Only coordinators" in reason


def test_a_shared_organisation_needs_every_programme(world):
    """Choosing another programme's facilitator for one's own scheme does not make it one's own
    to rename: it shows under the other programme too."""
    SchemeFactory(programme=world["their_programme"], facilitator=world["mine"])
    allowed, _reason = can_edit_organisation(world["me"], world["mine"])
    assert not allowed
    assert not can_edit_organisation(world["other"], world["mine"])[0]
    world["me"].is_staff = True
    assert can_edit_organisation(world["me"], world["mine"]) == (True, "")


def test_the_service_refuses_another_programmes_organisation(world):
    theirs = world["theirs"]
    theirs.name = "Renamed by a stranger"
    with pytest.raises(ValidationError, match="programmes you do not coordinate"):
        organisation_save(organisation=theirs, by=world["me"])
    theirs.refresh_from_db()
    assert theirs.name != "Renamed by a stranger"


def test_the_service_records_who_added_it_and_keeps_it(world):
    added = world["added"]
    assert added.created_by == world["me"]
    added.created_by = world["other"]  # a form cannot hand it over
    added.website = "https://example.org/"
    organisation_save(organisation=added, by=world["me"])
    added.refresh_from_db()
    assert added.created_by == world["me"]
    assert added.website == "https://example.org/"


def test_the_pages(client, world):
    client.force_login(world["me"])
    listing = client.get(reverse("mentoring:organisations")).content.decode()
    assert reverse("mentoring:organisation_edit", args=[world["mine"].pk]) in listing
    assert reverse("mentoring:organisation_edit", args=[world["theirs"].pk]) not in listing
    assert world["theirs"].name in listing  # still listed: any may facilitate a scheme

    url = reverse("mentoring:organisation_edit", args=[world["theirs"].pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Taken over", "country": "", "website": ""})
    assert response.status_code == 403
    assert not ExpertOrganisation.objects.filter(name="Taken over").exists()

    url = reverse("mentoring:organisation_edit", args=[world["mine"].pk])
    response = client.post(url, {"name": "Ours, renamed", "country": "", "website": ""})
    assert response["Location"] == reverse("mentoring:organisations")
    assert ExpertOrganisation.objects.filter(name="Ours, renamed").exists()

    response = client.post(
        reverse("mentoring:organisation_create"), {"name": "Brand new", "country": ""}
    )
    assert response.status_code == 302
    assert ExpertOrganisation.objects.get(name="Brand new").created_by == world["me"]
