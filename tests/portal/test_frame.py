"""A programme's frame is data (issue 15): its commitment framework, the framework's
commitments, its target groups and the cities' signatures, edited in the browser by its
coordinators; forms offer the programme's own frame and nothing else, and the services refuse
the rest with a field message. The world: the CITIES-GROW demo (the Charter and twelve target
groups), a second programme on air quality with the SDGs and no target groups, and a third with
no framework."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cities.models import City
from mentoring.forms.programmes import SchemeForm
from mentoring.models import (
    Commitment,
    CommitmentFramework,
    ExpertOrganisation,
    FrameworkSignature,
    Programme,
    Scheme,
)
from mentoring.permissions import can_edit_frame, can_edit_framework
from mentoring.services.frames import (
    framework_from_preset,
    preset_framework,
    programme_framework_set,
)
from mentoring.services.programmes import scheme_save
from tests.accounts.factories import CoordinatorFactory, ExpertFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory, SchemeFactory
from tests.toolkits.factories import practice_fields
from toolkits import services as toolkit_services
from toolkits.forms.practices import PracticeForm
from toolkits.models import TargetGroup
from toolkits.vocabulary import currency_choices, language_choices, language_name

COORDINATOR = "coordinator@example.org"


def frame_url(programme: Programme) -> str:
    return reverse("portal:frame", kwargs={"slug": programme.slug})


@pytest.fixture
def coordinator(demo) -> User:
    return User.objects.get(email=COORDINATOR)


@pytest.fixture
def air(demo, coordinator):
    """A programme on air quality following the SDGs, with no target groups; the demo
    coordinator coordinates it too, and Gdańsk takes part."""
    programme = ProgrammeFactory(name="Clean Air", slug="clean-air")
    CoordinatorFactory(programme=programme, user=coordinator)
    framework_from_preset(key="sdgs", programme=programme, by=User.objects.get(pk=coordinator.pk))
    ParticipationFactory(programme=programme, city=City.objects.get(slug="gdansk"))
    scheme = SchemeFactory(programme=programme, code="AQ", theme="Air quality")
    programme.refresh_from_db()
    return programme, scheme


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# Frameworks ------------------------------------------------------------------------------------


class TestFrameworks:
    def test_the_demo_follows_the_charter_grouped_by_the_four_roles(self, demo):
        framework = demo.framework
        assert framework.name == "Integrating Cities Charter"
        assert framework.commitments.count() == 11
        assert [g.name for g in framework.groups.all()] == [
            "Policy-makers",
            "Service providers",
            "Employers",
            "Buyers of goods and services",
        ]
        assert framework.commitments.get(number=9).group.name == "Buyers of goods and services"

    def test_the_sdgs_are_added_in_one_click(self, client, demo, coordinator):
        client.force_login(coordinator)
        page = client.get(frame_url(demo)).content.decode()
        assert "Add UN Sustainable Development Goals and follow it" in page
        response = client.post(frame_url(demo), {"preset": "sdgs"})
        assert response.status_code == 302
        demo.refresh_from_db()
        assert demo.framework.name == "UN Sustainable Development Goals"
        assert demo.framework.commitments.count() == 17
        assert str(demo.framework.commitments.get(number=11)) == (
            "11. Sustainable cities and communities"
        )
        # The schemes' Charter commitments are taken off: they serve the new framework only.
        assert not Scheme.commitments.through.objects.filter(scheme__programme=demo).exists()
        # Adding the preset again reuses the framework.
        client.post(frame_url(demo), {"preset": "sdgs"})
        assert CommitmentFramework.objects.filter(preset="sdgs").count() == 1

    def test_an_unknown_preset_is_refused_without_a_500(self, client, demo, coordinator):
        client.force_login(coordinator)
        response = client.post(frame_url(demo), {"preset": "nothing"})
        assert response.status_code == 400
        assert "There is no such preset." in response.content.decode()

    def test_a_framework_made_by_hand_and_its_commitments(self, client, demo, coordinator):
        client.force_login(coordinator)
        response = client.post(
            reverse("portal:framework_create", args=[demo.slug]),
            {"name": "New Urban Agenda", "description": "", "website": ""},
        )
        assert response.status_code == 302
        demo.refresh_from_db()
        assert demo.framework.name == "New Urban Agenda"
        create = reverse("portal:commitment_create", args=[demo.slug])
        client.post(create, {"number": "1", "title": "Social inclusion", "group_name": "People"})
        client.post(create, {"number": "2", "title": "Urban prosperity", "group_name": "People"})
        # A number used twice is refused on its field and what was typed is kept.
        refused = client.post(create, {"number": "2", "title": "Twice", "group_name": ""})
        assert refused.status_code == 400
        html = refused.content.decode()
        assert 'value="Twice"' in html
        assert "Commitment with this Framework and Number already exists." in html
        commitment = demo.framework.commitments.get(number=2)
        assert commitment.group.name == "People"
        edit = reverse("portal:commitment_edit", args=[demo.slug, commitment.pk])
        client.post(edit, {"number": "2", "title": "Urban prosperity for all", "group_name": ""})
        commitment.refresh_from_db()
        assert (commitment.title, commitment.group) == ("Urban prosperity for all", None)
        client.post(edit, {"delete": "1"})
        assert list(demo.framework.commitments.values_list("number", flat=True)) == [1]
        page = client.get(frame_url(demo)).content.decode()
        assert "Social inclusion" in page

    def test_no_framework_at_all(self, client, demo, coordinator):
        client.force_login(coordinator)
        client.post(frame_url(demo), {"framework": ""})
        demo.refresh_from_db()
        assert demo.framework is None
        page = client.get(frame_url(demo)).content.decode()
        assert "follows no commitment framework" in page
        assert client.get(reverse("portal:commitment_create", args=[demo.slug])).status_code == 404

    def test_a_shared_framework_is_edited_only_by_who_coordinates_every_user(
        self, demo, coordinator
    ):
        other = ProgrammeFactory(name="Also the Charter", framework=demo.framework)
        coordinator = fresh(coordinator)
        allowed, reason = can_edit_framework(coordinator, demo.framework)
        assert not allowed
        assert "programmes you do not coordinate" in reason
        CoordinatorFactory(programme=other, user=coordinator)
        assert can_edit_framework(fresh(coordinator), demo.framework) == (True, "")


class TestWhoEditsTheFrame:
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("coordinator@example.org", 200),
            ("expert@example.org", 403),
            ("officer.gdansk@example.org", 403),
            ("supervisor.gdansk@example.org", 403),
            ("partner@example.org", 403),
        ],
    )
    def test_the_page_role_by_role(self, client, demo, who, status):
        client.force_login(User.objects.get(email=who))
        assert client.get(frame_url(demo)).status_code == status

    def test_staff_may_and_say_so(self, demo, admin_user):
        assert can_edit_frame(admin_user, demo) == (True, "")

    def test_a_refusal_says_why(self, demo):
        expert = User.objects.get(email="expert@example.org")
        assert can_edit_frame(expert, demo) == (
            False,
            "Only the programme's coordinators edit its frame.",
        )
        with pytest.raises(ValidationError):
            programme_framework_set(programme=demo, framework=None, by=expert)
        demo.refresh_from_db()
        assert demo.framework is not None

    def test_the_programme_page_links_to_it_for_coordinators_only(self, client, demo, coordinator):
        client.force_login(coordinator)
        assert frame_url(demo) in client.get(demo.get_absolute_url()).content.decode()
        client.force_login(User.objects.get(email="expert@example.org"))
        assert frame_url(demo) not in client.get(demo.get_absolute_url()).content.decode()


# Target groups ---------------------------------------------------------------------------------


class TestTargetGroups:
    def test_each_programme_has_its_own_list(self, demo, air):
        programme, _scheme = air
        assert demo.target_groups.count() == 12
        assert programme.target_groups.count() == 0

    def test_added_renamed_refused_twice_and_removed(self, client, demo, coordinator):
        client.force_login(coordinator)
        create = reverse("portal:target_group_create", args=[demo.slug])
        assert client.post(create, {"name": "Older migrants"}).status_code == 302
        group = demo.target_groups.get(name="Older migrants")
        assert group.position == 12  # at the end of the list
        refused = client.post(create, {"name": "Older migrants"})
        assert refused.status_code == 400
        assert "Target group with this Programme and Name already exists." in (
            refused.content.decode()
        )
        edit = reverse("portal:target_group_edit", args=[demo.slug, group.pk])
        client.post(edit, {"name": "Migrants over 60"})
        group.refresh_from_db()
        assert group.name == "Migrants over 60"
        client.post(edit, {"delete": "1"})
        assert not demo.target_groups.filter(pk=group.pk).exists()

    def test_another_programmes_group_is_not_found(self, client, demo, air, coordinator):
        programme, _scheme = air
        group = demo.target_groups.first()
        client.force_login(coordinator)
        url = reverse("portal:target_group_edit", args=[programme.slug, group.pk])
        assert client.get(url).status_code == 404


# Forms and services use the programme's frame only ----------------------------------------------


class TestSchemes:
    def test_the_scheme_form_offers_the_programmes_framework_only(self, demo, air):
        programme, scheme = air
        offered = set(
            SchemeForm(instance=scheme, programme=programme).fields["commitments"].queryset
        )
        assert offered == set(programme.framework.commitments.all())
        assert {c.framework.name for c in offered} == {"UN Sustainable Development Goals"}
        label = SchemeForm(programme=programme).fields["commitments"].label
        assert label == "Commitments of UN Sustainable Development Goals"

    def test_no_commitment_field_without_a_framework(self, demo):
        programme = ProgrammeFactory(name="Frameless")
        assert "commitments" not in SchemeForm(programme=programme).fields

    def test_a_commitment_of_another_framework_is_refused_on_its_field(self, demo, air):
        programme, scheme = air
        charter_nine = demo.framework.commitments.get(number=9)
        with pytest.raises(ValidationError) as refused:
            scheme_save(scheme=scheme, commitments=[charter_nine])
        assert refused.value.message_dict["commitments"] == [
            "Only commitments of UN Sustainable Development Goals may be chosen, not: "
            "9. Apply equality and diversity principles in procurement."
        ]

    def test_a_scheme_posted_with_another_frameworks_commitment_keeps_what_was_typed(
        self, client, demo, air, coordinator
    ):
        programme, _scheme = air
        client.force_login(coordinator)
        response = client.post(
            reverse("mentoring:scheme_create", args=[programme.slug]),
            {
                "code": "EN",
                "theme": "Energy transition",
                "facilitator": ExpertOrganisation.objects.first().pk,
                "mentor_capacity": "2",
                "commitments": [demo.framework.commitments.get(number=9).pk],
            },
        )
        assert response.status_code == 400
        assert 'value="Energy transition"' in response.content.decode()
        assert not programme.schemes.filter(code="EN").exists()


class TestPractices:
    def officer(self, demo) -> User:
        return User.objects.get(email="officer.gdansk@example.org")

    def test_the_form_of_a_practice_of_the_air_programme(self, demo, air):
        programme, scheme = air
        practice = toolkit_services.practice_create(
            city=City.objects.get(slug="gdansk"),
            author=self.officer(demo),
            scheme=scheme,
            **practice_fields(
                title="Counting the particles",
                target_groups=[],
                commitments=list(programme.framework.commitments.filter(number=11)),
            ),
        )
        form = PracticeForm(instance=practice, user=self.officer(demo))
        # No target group field: the programme has none.
        assert "target_groups" not in form.fields
        assert set(form.fields["commitments"].queryset) == set(
            programme.framework.commitments.all()
        )
        assert form.fields["commitments"].label == "Commitments of UN Sustainable Development Goals"

    def test_the_service_refuses_the_charter_and_other_groups_on_their_fields(self, demo, air):
        _programme, scheme = air
        with pytest.raises(ValidationError) as refused:
            toolkit_services.practice_create(
                city=City.objects.get(slug="gdansk"),
                author=self.officer(demo),
                scheme=scheme,
                **practice_fields(
                    programme=demo,
                    commitments=list(demo.framework.commitments.filter(number=9)),
                ),
            )
        errors = refused.value.message_dict
        assert errors["commitments"][0].startswith(
            "Only commitments of UN Sustainable Development Goals may be chosen"
        )
        assert errors["target_groups"] == [
            "Only target groups of Clean Air may be chosen, not: Migrant entrepreneurs."
        ]

    def test_a_programme_without_a_framework_takes_no_commitment(self, demo):
        programme = ProgrammeFactory(name="Frameless")
        scheme = SchemeFactory(programme=programme)
        gdansk = City.objects.get(slug="gdansk")
        ParticipationFactory(programme=programme, city=gdansk)
        with pytest.raises(ValidationError) as refused:
            toolkit_services.practice_create(
                city=gdansk,
                author=self.officer(demo),
                scheme=scheme,
                **practice_fields(
                    target_groups=[],
                    commitments=list(demo.framework.commitments.filter(number=9)),
                ),
            )
        assert refused.value.message_dict["commitments"] == [
            "Frameless has no commitment framework; name no commitments."
        ]

    def test_a_new_practice_offers_each_programmes_frame_labelled(self, demo, air):
        officer = self.officer(demo)
        form = PracticeForm(user=officer)
        labels = [label for _value, label in form.fields["commitments"].choices]
        assert (
            "Integrating Cities Charter: 9. Apply equality and diversity principles in procurement"
            in labels
        )
        assert "UN Sustainable Development Goals: 13. Climate action" in labels
        groups = [label for _value, label in form.fields["target_groups"].choices]
        assert "CITIES-GROW: Migrant women" in groups
        assert not [g for g in groups if g.startswith("Clean Air")]


# Signatures ------------------------------------------------------------------------------------


class TestSignatures:
    def test_the_city_form_records_signatures_of_frameworks(self, client, demo, coordinator):
        sdgs = preset_framework("sdgs")
        client.force_login(coordinator)
        gdansk = City.objects.get(slug="gdansk")
        url = reverse("portal:city_edit", args=[gdansk.slug])
        page = client.get(url).content.decode()
        assert "Signed the Integrating Cities Charter" in page
        assert "Signed the UN Sustainable Development Goals" in page
        response = client.post(
            url,
            {
                "name": gdansk.name,
                "slug": gdansk.slug,
                "country": "PL",
                "latitude": str(gdansk.latitude),
                "longitude": str(gdansk.longitude),
                "languages": "pl",
                f"signatures-signed_{demo.framework_id}": "on",
                f"signatures-signed_on_{demo.framework_id}": "2016-05-12",
            },
        )
        assert response.status_code == 302
        signature = FrameworkSignature.objects.get(city=gdansk)
        assert (signature.framework, signature.signed_on) == (demo.framework, date(2016, 5, 12))
        assert not FrameworkSignature.objects.filter(framework=sdgs).exists()
        detail = client.get(gdansk.get_absolute_url()).content.decode()
        assert "Integrating Cities Charter (12 May 2016)" in detail
        listed = client.get(reverse("portal:city_list"), {"signed": demo.framework_id})
        assert "Gdańsk" in listed.content.decode()


# Languages and currencies ----------------------------------------------------------------------


class TestLanguagesAndCurrencies:
    def test_any_iso_language_named_in_the_readers_language(self):
        codes = dict(language_choices())
        assert {"ko", "zh", "af", "ga", "mt"} <= set(codes)
        assert codes["ko"] == "Korean"
        with translation.override("de"):
            assert language_name("ko") == "Koreanisch"
            assert dict(language_choices())["zh"] == "Chinesisch"

    def test_any_current_currency_and_stored_former_ones_stay_valid(self):
        codes = dict(currency_choices())
        assert {"EUR", "KRW", "TWD", "ZAR", "CAD", "SGD", "HKD"} <= set(codes)
        assert "DEM" not in codes
        assert "DEM" in dict(currency_choices(keep="DEM"))

    def test_a_korean_practice_budgeted_in_won(self, demo):
        officer = User.objects.get(email="officer.gdansk@example.org")
        practice = toolkit_services.practice_create(
            city=City.objects.get(slug="gdansk"),
            author=officer,
            scheme=demo.schemes.get(code="A"),
            **practice_fields(programme=demo, language="ko", currency="KRW"),
        )
        assert (practice.language, practice.currency) == ("ko", "KRW")
        assert practice.language_display == "Korean"

    def test_a_made_up_code_is_refused_on_its_field(self, demo):
        officer = User.objects.get(email="officer.gdansk@example.org")
        with pytest.raises(ValidationError) as refused:
            toolkit_services.practice_create(
                city=City.objects.get(slug="gdansk"),
                author=officer,
                scheme=demo.schemes.get(code="A"),
                **practice_fields(programme=demo, language="qq", currency="ABC"),
            )
        assert set(refused.value.message_dict) >= {"language", "currency"}


def test_an_expert_of_the_programme_cannot_edit_a_commitment(client, demo):
    commitment = Commitment.objects.get(framework=demo.framework, number=9)
    expert = ExpertFactory(scheme=demo.schemes.get(code="A")).user
    client.force_login(expert)
    url = reverse("portal:commitment_edit", args=[demo.slug, commitment.pk])
    response = client.post(url, {"number": "9", "title": "Changed", "group_name": ""})
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.title == "Apply equality and diversity principles in procurement"


def test_target_groups_keep_a_position_per_programme(demo):
    assert list(TargetGroup.objects.filter(programme=demo).values_list("position", flat=True)) == (
        list(range(12))
    )
