"""Making toolkits through their pages: the whole flow from a new toolkit to its second
edition, the input each page refuses (400 with field messages, nothing saved), what the publish
page says changed, and query counts that do not grow with the number of toolkits or practices.
"""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from toolkits import services
from toolkits.models import Rendering, SuccessFactor, Toolkit, ToolkitEdition, ToolkitEntry

from .factories import build_toolkit_world, draft, fresh, published, toolkit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


def url(name: str, toolkit: Toolkit | None = None) -> str:
    return reverse(f"toolkits:{name}", kwargs={"slug": toolkit.slug} if toolkit else None)


def practices_data(order, *, positions=None) -> dict:
    """The practices page's POST: the practices ticked, numbered in the order given."""
    data = {"practices": [str(p.pk) for p in order]}
    for number, practice in enumerate(order, start=1):
        data[f"position-{practice.pk}"] = str(number)
    data.update(positions or {})
    return data


def factors_data(rows, *, initial=0) -> dict:
    """The factors formset's POST: rows of (name, description, order, delete)."""
    data = {
        "factors-TOTAL_FORMS": str(len(rows)),
        "factors-INITIAL_FORMS": str(initial),
        "factors-MIN_NUM_FORMS": "0",
        "factors-MAX_NUM_FORMS": "1000",
    }
    for i, (name, description, order, delete) in enumerate(rows):
        data[f"factors-{i}-name"] = name
        data[f"factors-{i}-description"] = description
        data[f"factors-{i}-ORDER"] = order
        if delete:
            data[f"factors-{i}-DELETE"] = "on"
    return data


def entry_titles(toolkit: Toolkit) -> list[str]:
    return list(toolkit.entries.order_by("position").values_list("practice__title", flat=True))


def snapshot_titles(edition: ToolkitEdition) -> list[str]:
    return [p["title"] for p in edition.snapshot["practices"]]


# The whole flow ----------------------------------------------------------------------------------


def test_from_a_new_toolkit_to_its_second_edition(client, world):
    ghent = published(world, title="Ghent splits tenders into lots")
    gdansk = published(world, title="Gdańsk coaches migrant firms")
    riga = published(world, city=world.other_city, title="Rīga opens its supplier fairs")
    draft(world, title="A draft nobody may choose")
    published(world, scheme=world.other_scheme, title="A practice of another theme")
    client.force_login(world.expert)

    page = client.get(url("toolkit_workspace"))
    assert page.status_code == 200
    assert "New toolkit" in page.content.decode()

    # 1. Make the toolkit.
    response = client.post(
        url("toolkit_create"),
        {
            "scheme": world.scheme.pk,
            "title": "Buying from newcomers",
            "introduction": "Why and how cities buy from migrant entrepreneurs.",
            "language": "en",
        },
    )
    toolkit = Toolkit.objects.get()
    assert response.status_code == 302
    assert response.url == url("toolkit_practices", toolkit)
    assert (toolkit.scheme, toolkit.title, toolkit.language) == (
        world.scheme,
        "Buying from newcomers",
        "en",
    )

    # 2. Choose and order the practices: only the theme's published ones are offered.
    page = client.get(url("toolkit_practices", toolkit)).content.decode()
    for title in ("Ghent splits", "Gdańsk coaches", "Rīga opens"):
        assert title in page
    assert "A draft nobody may choose" not in page
    assert "A practice of another theme" not in page
    response = client.post(
        url("toolkit_practices", toolkit),
        practices_data([riga, ghent, gdansk]),
    )
    assert response.status_code == 302
    assert entry_titles(toolkit) == [riga.title, ghent.title, gdansk.title]

    # 3. Key success factors, in the order given by their positions.
    response = client.post(
        url("toolkit_factors", toolkit),
        factors_data(
            [
                ("Open tenders", "Lots small enough for small firms.", "2", False),
                ("A political sponsor", "Someone who answers for it.", "1", False),
                ("", "", "", False),
            ]
        ),
    )
    assert response.status_code == 302
    assert list(toolkit.success_factors.values_list("name", flat=True)) == [
        "A political sponsor",
        "Open tenders",
    ]

    # 4. Edition 1: the page shows what it will hold; publishing queues its PDF.
    page = client.get(url("edition_publish", toolkit)).content.decode()
    assert "Publish edition 1" in page
    assert "this will be its first edition" in page
    response = client.post(
        url("edition_publish", toolkit), {"notes": "First edition.", "after": "0"}
    )
    assert response.status_code == 302
    assert response.url == reverse("toolkits:toolkit", kwargs={"slug": toolkit.slug})
    first = toolkit.editions.get()
    assert (first.number, first.notes, first.published_by) == (1, "First edition.", world.expert)
    assert snapshot_titles(first) == [riga.title, ghent.title, gdansk.title]
    assert [f["name"] for f in first.snapshot["success_factors"]] == [
        "A political sponsor",
        "Open tenders",
    ]
    assert Rendering.objects.get(edition=first).language == "en"
    kept = copy.deepcopy(first.snapshot)

    # 5. Change the order and drop a practice; the publish page says so.
    client.post(url("toolkit_practices", toolkit), practices_data([gdansk, riga]))
    assert entry_titles(toolkit) == [gdansk.title, riga.title]
    page = client.get(url("edition_publish", toolkit)).content.decode()
    assert "What changes since edition 1" in page
    assert "Practices removed" in page
    assert ghent.title in page
    assert "Practices moved" in page
    assert "Gdańsk coaches migrant firms: from position 3 to 1" in page

    # 6. Edition 2, asked for in French: its PDF is made in French.
    response = client.post(
        url("edition_publish", toolkit),
        {"notes": "New order.", "after": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    second = toolkit.editions.get(number=2)
    assert snapshot_titles(second) == [gdansk.title, riga.title]
    assert Rendering.objects.get(edition=second).language == "fr"
    first.refresh_from_db()
    assert first.snapshot == kept

    # The workspace lists it with its last edition.
    page = client.get(url("toolkit_workspace")).content.decode()
    assert "Buying from newcomers" in page
    assert "Edition 2" in page


def test_the_details_page_changes_title_introduction_and_language_not_the_theme(client, world):
    toolkit = toolkit_with(world, [published(world)])
    client.force_login(world.coordinator)
    response = client.post(
        url("toolkit_edit", toolkit),
        {
            "scheme": world.other_scheme.pk,
            "title": "A new title",
            "introduction": "New words.",
            "language": "pl",
        },
    )
    assert response.status_code == 302
    toolkit.refresh_from_db()
    assert (toolkit.title, toolkit.introduction, toolkit.language) == (
        "A new title",
        "New words.",
        "pl",
    )
    assert toolkit.scheme == world.scheme
    assert toolkit.slug == "buyers-and-suppliers"  # the address stays


def test_a_coordinator_makes_toolkits_for_any_theme_of_the_programme(client, world):
    client.force_login(world.coordinator)
    page = client.get(url("toolkit_create")).content.decode()
    assert "Job-skills match" in page
    assert "Matching buyers and suppliers" in page
    response = client.post(
        url("toolkit_create"),
        {"scheme": world.other_scheme.pk, "title": "Jobs", "introduction": "", "language": "de"},
    )
    assert response.status_code == 302
    assert Toolkit.objects.get().scheme == world.other_scheme


def test_the_create_form_offers_only_the_experts_own_theme(client, world):
    client.force_login(world.expert)
    page = client.get(url("toolkit_create")).content.decode()
    assert "Matching buyers and suppliers" in page
    assert "Job-skills match" not in page


# Refused input -----------------------------------------------------------------------------------


def test_create_without_a_title_keeps_what_was_typed(client, world):
    client.force_login(world.expert)
    response = client.post(
        url("toolkit_create"),
        {
            "scheme": world.scheme.pk,
            "title": "",
            "introduction": "Kept <b>as typed</b>",
            "language": "en",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title_error"' in page
    assert "Kept &lt;b&gt;as typed&lt;/b&gt;" in page
    assert not Toolkit.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("scheme", "other"), ("scheme", "999999"), ("language", "xx"), ("title", "x" * 201)],
)
def test_create_refuses_bad_values_on_their_field(client, world, field, value):
    client.force_login(world.expert)
    data = {"scheme": world.scheme.pk, "title": "Fine", "introduction": "", "language": "en"}
    data[field] = world.other_scheme.pk if value == "other" else value
    response = client.post(url("toolkit_create"), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Toolkit.objects.exists()


def test_edit_refuses_a_blank_title_and_keeps_the_old_one(client, world):
    toolkit = toolkit_with(world, [published(world)])
    client.force_login(world.expert)
    response = client.post(
        url("toolkit_edit", toolkit), {"title": " ", "introduction": "Changed", "language": "en"}
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    toolkit.refresh_from_db()
    assert (toolkit.title, toolkit.introduction) == (
        "Buyers and suppliers",
        "Why cities buy from newcomers.",
    )


@pytest.fixture
def ordered(world):
    """A toolkit holding two practices, a third published one outside it, and a draft."""
    one = published(world, title="One")
    two = published(world, title="Two")
    three = published(world, title="Three")
    toolkit = toolkit_with(world, [one, two])
    return toolkit, one, two, three, draft(world, title="Draft")


def test_the_practices_page_lists_the_toolkit_first_then_the_others_by_title(
    client, world, ordered
):
    toolkit, one, two, three, _draft = ordered
    services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=[two, one])
    extra = published(world, title="Another")
    client.force_login(world.expert)
    page = client.get(url("toolkit_practices", toolkit)).content.decode()
    positions = [page.index(f'name="practices" value="{p.pk}"') for p in (two, one, extra, three)]
    assert positions == sorted(positions)
    assert page.count(" checked") == 2
    assert f'name="position-{extra.pk}" value="3"' in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("not a number", "position"),
        ("zero", "position"),
        ("blank", "position"),
        ("twice", "practices"),
        ("draft", "practices"),
        ("unknown", "practices"),
    ],
)
def test_bad_practice_lists_are_refused_with_their_message(client, world, ordered, change, field):
    toolkit, one, two, three, draft_ = ordered
    data = practices_data([three, one])
    if change == "not a number":
        data[f"position-{three.pk}"] = "first"
    elif change == "zero":
        data[f"position-{three.pk}"] = "0"
    elif change == "blank":
        data[f"position-{three.pk}"] = ""
    elif change == "twice":
        data["practices"].append(str(one.pk))
    elif change == "draft":
        data["practices"].append(str(draft_.pk))
    elif change == "unknown":
        data["practices"].append("999999")
    client.force_login(world.expert)
    response = client.post(url("toolkit_practices", toolkit), data)
    assert response.status_code == 400
    page = response.content.decode()
    error_id = f"id_position-{three.pk}_error" if field == "position" else "id_practices_error"
    assert f'id="{error_id}"' in page
    assert "Please correct the marked fields." in page
    assert entry_titles(toolkit) == ["One", "Two"]
    # What was submitted is shown again.
    assert page.count(" checked") == len(set(data["practices"]) & {str(one.pk), str(three.pk)})


def test_equal_positions_keep_the_listed_order(client, world, ordered):
    toolkit, one, two, three, _draft = ordered
    client.force_login(world.expert)
    data = practices_data([one, two, three])
    data.update({f"position-{p.pk}": "5" for p in (one, two, three)})
    assert client.post(url("toolkit_practices", toolkit), data).status_code == 302
    assert entry_titles(toolkit) == ["One", "Two", "Three"]


def test_nothing_ticked_empties_the_toolkit(client, world, ordered):
    toolkit = ordered[0]
    client.force_login(world.expert)
    assert client.post(url("toolkit_practices", toolkit), {}).status_code == 302
    assert not toolkit.entries.exists()


def test_a_withdrawn_practice_is_flagged_and_left_out(client, world, ordered):
    toolkit, one, two, three, _draft = ordered
    services.edition_publish(toolkit, by=fresh(world.expert))
    services.practice_withdraw(one, by=fresh(world.expert), comment="Figures to check.")
    client.force_login(world.expert)
    page = client.get(url("toolkit_practices", toolkit)).content.decode()
    assert "withdrawn: will be left out of the next edition" in page
    assert f'name="practices" value="{one.pk}"' not in page  # it cannot be ticked
    publish = client.get(url("edition_publish", toolkit)).content.decode()
    assert "Practices removed" in publish
    assert "<li>One</li>" in publish
    # Saving the list takes it out; ticking it anyway is refused.
    refused = client.post(url("toolkit_practices", toolkit), practices_data([one, two]))
    assert refused.status_code == 400
    assert client.post(url("toolkit_practices", toolkit), practices_data([two])).status_code == 302
    assert entry_titles(toolkit) == ["Two"]


def test_factors_can_be_removed_and_reordered(client, world, ordered):
    toolkit = ordered[0]
    services.toolkit_set_success_factors(
        toolkit, by=fresh(world.expert), factors=[("A", "a"), ("B", "b"), ("C", "c")]
    )
    client.force_login(world.expert)
    page = client.get(url("toolkit_factors", toolkit)).content.decode()
    assert 'name="factors-TOTAL_FORMS" value="6"' in page  # three kept, three empty
    data = factors_data(
        [("A", "a", "1", True), ("B", "b", "", False), ("C", "c", "1", False)], initial=3
    )
    assert client.post(url("toolkit_factors", toolkit), data).status_code == 302
    assert list(toolkit.success_factors.values_list("name", "position")) == [("C", 1), ("B", 2)]


@pytest.mark.parametrize(
    "row",
    [
        ("", "A description without a name", "", False),
        ("Name", "", "first", False),
        ("x" * 201, "", "", False),
    ],
)
def test_bad_factors_are_refused_and_nothing_changes(client, world, ordered, row):
    toolkit = ordered[0]
    client.force_login(world.expert)
    response = client.post(
        url("toolkit_factors", toolkit), factors_data([("Kept", "", "1", False), row])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the marked fields." in page
    assert 'class="errorlist"' in page
    assert list(SuccessFactor.objects.values_list("name", flat=True)) == ["Leadership"]


def test_publishing_an_empty_toolkit_is_refused_with_the_services_message(client, world):
    toolkit = services.toolkit_create(scheme=world.scheme, by=fresh(world.expert), title="Empty")
    client.force_login(world.expert)
    page = client.get(url("edition_publish", toolkit)).content.decode()
    assert "choose its practices before publishing" in page
    response = client.post(url("edition_publish", toolkit), {"notes": "", "after": "0"})
    assert response.status_code == 400
    assert "Add at least one published practice before publishing." in response.content.decode()
    assert not ToolkitEdition.objects.exists()
    assert not Rendering.objects.exists()


def test_a_second_click_on_publish_does_not_publish_again(client, world, ordered):
    toolkit = ordered[0]
    client.force_login(world.expert)
    for _click in range(2):
        response = client.post(url("edition_publish", toolkit), {"notes": "Once", "after": "0"})
        assert response.status_code == 302
    assert list(toolkit.editions.values_list("number", flat=True)) == [1]
    followed = client.get(response.url)
    assert "Edition 1 was published already" in followed.content.decode()


def test_publishing_twice_without_the_page_takes_the_next_number(client, world, ordered):
    toolkit = ordered[0]
    client.force_login(world.coordinator)
    for _click in range(2):
        assert client.post(url("edition_publish", toolkit), {"notes": ""}).status_code == 302
    assert sorted(toolkit.editions.values_list("number", flat=True)) == [1, 2]
    # The same content in the same language twice: each edition has its own rendering.
    assert Rendering.objects.count() == 2


def test_the_publish_page_says_when_nothing_changed(client, world, ordered):
    toolkit = ordered[0]
    services.edition_publish(toolkit, by=fresh(world.expert))
    client.force_login(world.expert)
    page = client.get(url("edition_publish", toolkit)).content.decode()
    assert "Nothing has changed since edition 1" in page


def test_the_publish_page_lists_changed_introduction_factors_and_practice_text(
    client, world, ordered
):
    toolkit, one, *_rest = ordered
    services.edition_publish(toolkit, by=fresh(world.expert))
    services.toolkit_update(toolkit, by=fresh(world.expert), introduction="Rewritten.")
    services.toolkit_set_success_factors(toolkit, by=fresh(world.expert), factors=[("New", "")])
    services.practice_update(one, by=fresh(world.expert), summary="A better summary.")
    client.force_login(world.expert)
    page = client.get(url("edition_publish", toolkit)).content.decode()
    assert "The introduction has changed." in page
    assert "The key success factors have changed." in page
    assert "Practices whose text has changed" in page


def test_moving_one_practice_to_the_end_reports_only_that_one():
    from toolkits.views.manage import edition_changes

    def snap(*ids):
        practices = [{"id": pk, "title": f"P{pk}"} for pk in ids]
        return {
            "title": "T",
            "language": "en",
            "introduction": "",
            "success_factors": [],
            "practices": practices,
        }

    changes = edition_changes(snap(1, 2, 3, 4), snap(2, 3, 5, 4, 1))
    assert [(m.title, m.before, m.after) for m in changes.moved] == [("P1", 1, 5)]
    assert changes.added == ["P5"]
    assert changes.removed == []
    assert (changes.introduction, changes.factors, changes.title) == (False, False, False)
    assert not edition_changes(snap(1, 2), snap(1, 2)).any


def test_text_typed_by_people_is_shown_as_text(client, world):
    practice = published(world, title="<script>alert(1)</script> tenders")
    toolkit = toolkit_with(world, [practice], title="<img src=x onerror=alert(1)>")
    client.force_login(world.expert)
    for name in ("toolkit_workspace", "toolkit_practices", "edition_publish", "toolkit_edit"):
        page = client.get(url(name, None if name == "toolkit_workspace" else toolkit))
        body = page.content.decode()
        assert "<script>alert(1)" not in body, name
        assert "<img src=x" not in body, name


# Query counts ------------------------------------------------------------------------------------


def queries(client, path: str, method: str = "get", data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def test_the_workspace_issues_the_same_queries_for_2_and_20_toolkits(client, world):
    practice = published(world)

    def add(count: int) -> None:
        for i in range(Toolkit.objects.count(), count):
            toolkit = toolkit_with(world, [practice], title=f"Toolkit {i}")
            if i % 2:
                services.edition_publish(toolkit, by=fresh(world.expert))

    client.force_login(world.coordinator)
    add(2)
    small = queries(client, url("toolkit_workspace"))
    add(20)
    large = queries(client, url("toolkit_workspace"))
    assert small == large
    assert large <= 8
    page = client.get(url("toolkit_workspace")).content.decode()
    assert page.count("not published yet") == 10


def test_the_practices_page_issues_the_same_queries_for_5_and_50_practices(client, world):
    toolkit = services.toolkit_create(scheme=world.scheme, by=fresh(world.expert), title="Many")
    practices = [published(world, title=f"Practice {i:02}") for i in range(5)]
    client.force_login(world.expert)

    def measure() -> tuple[int, int, int]:
        services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=practices[:3])
        page = queries(client, url("toolkit_practices", toolkit))
        save = queries(
            client, url("toolkit_practices", toolkit), "post", practices_data(practices[::-1])
        )
        publish = queries(client, url("edition_publish", toolkit))
        return page, save, publish

    small = measure()
    practices += [published(world, title=f"Practice {i:02}") for i in range(5, 50)]
    large = measure()
    assert small == large
    assert large[0] <= 8
    assert ToolkitEntry.objects.filter(toolkit=toolkit).count() == 50
