"""The public toolkit pages: published toolkits by programme and theme with every edition's PDF
per language; one toolkit as its latest edition was published; toolkits without an edition only
for those who manage them; query counts that do not grow with editions or practices."""

import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.toolkits.factories import build_toolkit_world, fresh, published, toolkit_with
from toolkits import services
from toolkits.models import Toolkit, ToolkitEdition

pytestmark = pytest.mark.django_db

TOOLKITS = reverse("toolkits:toolkits")


@pytest.fixture
def world():
    return build_toolkit_world()


def publish(world, toolkit: Toolkit, notes: str = "") -> ToolkitEdition:
    return services.edition_publish(toolkit, by=fresh(world.expert), notes=notes)


def get(client, url, *, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def listed_practices(html: str) -> list[str]:
    section = html.split('id="practices-heading"', 1)[1].split("</section>", 1)[0]
    return [
        unescape(title)
        for title in re.findall(r"<li>\s*<(?:a|span) [^>]*>(.*?)</(?:a|span)>", section)
    ]


@pytest.fixture
def two_practices(world):
    first = published(world, title="Splitting tenders into lots")
    second = published(world, city=world.other_city, title="Supplier fairs")
    return first, second


@pytest.fixture
def kit(world, two_practices):
    first, second = two_practices
    toolkit = toolkit_with(world, [second, first], title="Buyers and suppliers")
    publish(world, toolkit, notes="First edition.")
    return toolkit


class TestToolkitList:
    def test_published_toolkits_by_programme_and_theme_with_their_editions(
        self, client, world, kit, two_practices
    ):
        services.toolkit_update(kit, by=fresh(world.expert), introduction="Second look.")
        publish(world, kit, notes="Added <b>figures</b>.")
        other = toolkit_with(world, [two_practices[0]], title="Another kit")
        publish(world, other)
        response = client.get(TOOLKITS)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<h2 id="programme-' in html
        assert ">CITIES-GROW</h2>" in html
        assert ">Theme A: Matching buyers and suppliers</h3>" in html
        assert html.index("Another kit") < html.index("Buyers and suppliers")
        assert '<th scope="row">Edition 2</th>' in html
        assert '<th scope="row">Edition 1</th>' in html
        kit_card = html.split(f'id="toolkit-{kit.pk}"', 1)[1]
        assert kit_card.index("Edition 2</th>") < kit_card.index("Edition 1</th>")
        assert "<p>First edition.</p>" in html
        assert "<p>Added &lt;b&gt;figures&lt;/b&gt;.</p>" in html
        for number in (1, 2):
            for code, name in (("en", "English"), ("fr", "French"), ("de", "German")):
                url = reverse(
                    "toolkits:edition_pdf",
                    kwargs={"slug": kit.slug, "number": number, "language": code},
                )
                assert f'<a href="{url}" hreflang="{code}" type="application/pdf">' in html
                assert f"Edition {number} in {name} (PDF)" in html

    def test_a_toolkit_without_an_edition_is_not_listed_for_the_public(self, client, world, kit):
        toolkit_with(world, [], title="Still in the making")
        for who in (None, "partner", "officer", "other_expert", "outsider_coordinator"):
            user = getattr(world, who) if who else None
            html = get(client, TOOLKITS, user=user).content.decode()
            assert "Buyers and suppliers" in html
            assert "Still in the making" not in html, who

    @pytest.mark.parametrize("who", ["expert", "coordinator"])
    def test_those_who_manage_it_see_it_before_its_first_edition(self, client, world, who):
        toolkit_with(world, [], title="Still in the making")
        html = get(client, TOOLKITS, user=getattr(world, who)).content.decode()
        assert "Still in the making" in html
        assert "Not published yet" in html
        assert reverse("toolkits:toolkit_workspace") in html

    def test_nothing_published_says_so(self, client, world):
        html = client.get(TOOLKITS).content.decode()
        assert "No toolkit has been published yet." in html

    def test_typed_html_in_a_title_is_shown_as_text(self, client, world, two_practices):
        publish(world, toolkit_with(world, [two_practices[0]], title="<i>Kit</i>"))
        html = client.get(TOOLKITS).content.decode()
        assert "<i>Kit</i>" not in html
        assert "&lt;i&gt;Kit&lt;/i&gt;" in html


class TestToolkitPage:
    def test_the_latest_edition_as_published(self, client, world, kit, two_practices):
        html = client.get(kit.get_absolute_url()).content.decode()
        assert '<h1 lang="en" dir="ltr">Buyers and suppliers</h1>' in html
        assert "<dd>A: Matching buyers and suppliers</dd>" in html
        assert "<p>Why cities buy from newcomers.</p>" in html
        assert "<strong>Leadership</strong><p>A political sponsor.</p>" in html
        assert listed_practices(html) == ["Supplier fairs", "Splitting tenders into lots"]
        first, second = two_practices
        assert (
            f'<a href="{second.get_absolute_url()}" lang="en" dir="ltr">Supplier fairs</a>' in html
        )
        assert "Rīga, Latvia" in html
        assert "Gdańsk, Poland" in html
        assert reverse("toolkits:toolkit_edit", args=[kit.slug]) not in html

    def test_later_changes_wait_for_the_next_edition(self, client, world, kit, two_practices):
        services.toolkit_update(kit, by=fresh(world.expert), introduction="A new introduction.")
        services.toolkit_set_practices(kit, by=fresh(world.expert), practices=[two_practices[0]])
        html = client.get(kit.get_absolute_url()).content.decode()
        assert "A new introduction." not in html
        assert listed_practices(html) == ["Supplier fairs", "Splitting tenders into lots"]

        publish(world, kit, notes="Fewer practices.")
        html = client.get(kit.get_absolute_url()).content.decode()
        assert "<p>A new introduction.</p>" in html
        assert listed_practices(html) == ["Splitting tenders into lots"]
        assert "Practices in edition 2" in html
        assert '<th scope="row">Edition 1</th>' in html  # the older edition stays downloadable
        assert reverse("toolkits:edition_pdf", args=[kit.slug, 1, "en"]) in html

    def test_a_practice_withdrawn_since_is_listed_without_a_link(
        self, client, world, kit, two_practices
    ):
        first, second = two_practices
        services.practice_withdraw(second, by=fresh(world.expert), comment="Outdated figures.")
        html = client.get(kit.get_absolute_url()).content.decode()
        assert listed_practices(html) == ["Supplier fairs", "Splitting tenders into lots"]
        assert second.get_absolute_url() not in html
        assert '<span lang="en" dir="ltr">Supplier fairs</span>' in html
        assert "no longer published" in html
        assert f'href="{first.get_absolute_url()}"' in html

    def test_html_typed_into_the_toolkit_is_shown_as_text(self, client, world, two_practices):
        toolkit = toolkit_with(world, [two_practices[0]], title="<script>x</script>")
        services.toolkit_update(
            toolkit, by=fresh(world.expert), introduction="<img src=x onerror=alert(1)>"
        )
        publish(world, toolkit)
        html = client.get(toolkit.get_absolute_url()).content.decode()
        assert "<script>x</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html

    def test_an_unknown_toolkit_is_404(self, client, world):
        response = client.get(reverse("toolkits:toolkit", args=["no-such-kit"]))
        assert response.status_code == 404


class TestToolkitWithoutEdition:
    @pytest.fixture
    def unpublished(self, world, two_practices):
        return toolkit_with(world, list(two_practices), title="In the making")

    @pytest.mark.parametrize(
        "who",
        [None, "partner", "officer", "other_expert", "outsider_coordinator", "outsider_expert"],
    )
    def test_is_404_for_those_who_do_not_manage_it(self, client, world, unpublished, who):
        user = getattr(world, who) if who else None
        assert get(client, unpublished.get_absolute_url(), user=user).status_code == 404

    def test_the_expert_sees_it_as_it_stands_with_the_editing_links(
        self, client, world, unpublished
    ):
        html = get(client, unpublished.get_absolute_url(), user=world.expert).content.decode()
        assert "Not published yet." in html
        assert listed_practices(html) == ["Splitting tenders into lots", "Supplier fairs"]
        for name in ("toolkit_edit", "toolkit_practices", "toolkit_factors", "edition_publish"):
            assert f'href="{reverse(f"toolkits:{name}", args=[unpublished.slug])}"' in html
        assert reverse("toolkits:toolkit_renderings", args=[unpublished.slug]) not in html

    def test_the_coordinator_also_sees_the_renderings(self, client, world, unpublished):
        html = get(client, unpublished.get_absolute_url(), user=world.coordinator).content.decode()
        assert f'href="{reverse("toolkits:toolkit_renderings", args=[unpublished.slug])}"' in html
        assert f'href="{reverse("toolkits:edition_publish", args=[unpublished.slug])}"' in html


def more_editions(world, toolkit: Toolkit, count: int) -> None:
    """Editions copied from the latest, written straight to the database."""
    latest = toolkit.editions.order_by("-number").first()
    ToolkitEdition.objects.bulk_create(
        ToolkitEdition(
            toolkit=toolkit,
            number=latest.number + n,
            published_on=date(2018, 1, 1),
            published_by=world.expert,
            notes=f"Edition {latest.number + n}.",
            snapshot=latest.snapshot,
            content_hash=f"{latest.content_hash[:60]}{n:04d}",
        )
        for n in range(1, count + 1)
    )


class TestQueryCounts:
    @pytest.mark.parametrize("who", [None, "coordinator"])
    def test_the_toolkit_page_with_2_and_20_editions_and_practices(
        self, client, world, django_assert_num_queries, who
    ):
        practices = [published(world, title=f"Practice {n:02d}") for n in range(2)]
        toolkit = toolkit_with(world, practices)
        publish(world, toolkit)
        more_editions(world, toolkit, 1)
        if who:
            client.force_login(getattr(world, who))

        with CaptureQueriesContext(connection) as small:
            response = client.get(toolkit.get_absolute_url())
        assert len(listed_practices(response.content.decode())) == 2

        practices += [published(world, title=f"Practice {n:02d}") for n in range(2, 20)]
        services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=practices)
        publish(world, toolkit)
        more_editions(world, toolkit, 17)
        with django_assert_num_queries(len(small)):
            response = client.get(toolkit.get_absolute_url())
        html = response.content.decode()
        assert len(listed_practices(html)) == 20
        assert html.count('<th scope="row">Edition ') == 20

    @pytest.mark.parametrize("who", [None, "expert"])
    def test_the_list_with_2_and_20_toolkits_and_editions(
        self, client, world, django_assert_num_queries, who
    ):
        practice = published(world)

        def add_toolkits(count: int) -> None:
            for _n in range(count):
                toolkit = toolkit_with(world, [practice], title="Kit")
                publish(world, toolkit)
                more_editions(world, toolkit, 1)
            toolkit_with(world, [practice], title="Unpublished")

        add_toolkits(2)
        if who:
            client.force_login(getattr(world, who))
        with CaptureQueriesContext(connection) as small:
            response = client.get(TOOLKITS)
        assert response.content.decode().count('<th scope="row">Edition ') == 4

        add_toolkits(18)
        with django_assert_num_queries(len(small)):
            response = client.get(TOOLKITS)
        assert response.content.decode().count('<th scope="row">Edition ') == 40
