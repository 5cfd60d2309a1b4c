"""A good practice's page: every field, escaped; safe links; downloads per language; who sees a
practice that is not published (404 for everyone else); and a fixed number of queries."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tests.toolkits.factories import (
    build_toolkit_world,
    draft,
    fresh,
    published,
    target_groups,
    toolkit_with,
)
from toolkits import services
from toolkits.models import GoodPractice, PracticeImage, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


def page(client, practice, *, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("toolkits:practice", kwargs={"slug": practice.slug}))


def html_of(client, practice, **kwargs) -> str:
    response = page(client, practice, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


class TestPublishedPractice:
    def test_anonymous_visitors_read_the_whole_practice(self, client, world):
        practice = published(
            world,
            partner_organisations="Chamber of Commerce\nMigrant Business Network",
            target_groups=list(target_groups(["entrepreneurs", "women"])),
        )
        html = html_of(client, practice)
        for text in (
            '<h1 id="practice-title" lang="en" dir="ltr">'
            "Buying from newcomers&#x27; businesses</h1>",
            "<p>The city opened its tenders to firms run by migrants.</p>",
            "<p>Few migrant entrepreneurs won public contracts.</p>",
            "<p>Split tenders into lots and coached 40 firms.</p>",
            "<p>12 firms won 18 contracts worth €240,000 in two years.</p>",
            "<p>Two procurement officers, half-time.</p>",
            "<p>A procurement team willing to split tenders.</p>",
            "<dd>Gdańsk</dd>",
            "<dd>Poland</dd>",
            "<dd>CITIES-GROW, A: Matching buyers and suppliers</dd>",
            "<li>Chamber of Commerce</li>",
            "<li>Migrant Business Network</li>",
            "<li>Migrant entrepreneurs</li>",
            "<li>Migrant women</li>",
            "Commitment 9: Apply equality and diversity principles in procurement",
            "Commitment 11: Promote a diverse supplier base",
            "<dd>169,956.00 EUR</dd>",
            "<dd>127,467.00 EUR</dd>",
            "January 2017",
            "June 2018",
            "<dd>English</dd>",
            'Ola Officer, <a href="mailto:ola@example.org">ola@example.org</a>',
            '<a href="https://example.org/practice" rel="noopener noreferrer">',
        ):
            assert text in html, text
        assert "Not published" not in html
        assert "Submit for review" not in html

    def test_an_ongoing_practice_and_one_without_budget(self, client, world):
        practice = published(world, ended_on=None, budget=None, eu_contribution=None)
        html = html_of(client, practice)
        assert "ongoing" in html
        assert "Total budget" not in html
        assert "EU contribution" not in html

    def test_a_budget_in_another_currency_shows_its_code(self, client, world):
        practice = published(
            world, currency="PLN", budget=Decimal("1234567.50"), eu_contribution=None
        )
        assert "<dd>1,234,567.50 PLN</dd>" in html_of(client, practice)

    def test_pdf_downloads_in_every_language(self, client, world):
        practice = published(world)
        html = html_of(client, practice)
        for code, name in (("en", "English"), ("fr", "French"), ("de", "German")):
            url = reverse("toolkits:practice_pdf", kwargs={"slug": practice.slug, "language": code})
            assert f'<a href="{url}" hreflang="{code}" type="application/pdf">' in html
            assert f"Download as PDF ({name})" in html

    def test_typed_html_is_shown_as_text_and_paragraphs_kept(self, client, world):
        practice = published(
            world,
            title="<b>Bold</b> title",
            summary="First <script>alert(1)</script>\n\nSecond paragraph",
            results='<a href="javascript:alert(1)">click</a>',
            contact_name="<i>Ola</i>",
            partner_organisations="<em>Partner</em>",
        )
        html = html_of(client, practice)
        assert "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
        assert "<script>alert(1)" not in html
        assert (
            "<p>First &lt;script&gt;alert(1)&lt;/script&gt;</p>\n\n<p>Second paragraph</p>" in html
        )
        assert 'href="javascript' not in html
        assert "&lt;i&gt;Ola&lt;/i&gt;" in html
        assert "&lt;em&gt;Partner&lt;/em&gt;" in html

    def test_only_web_addresses_become_links(self, client, world):
        # The services refuse such lines; a row written before that rule (or by hand) still
        # must not turn them into links.
        practice = published(world)
        GoodPractice.objects.filter(pk=practice.pk).update(
            links="https://example.org/a\nhttp://example.org/b\njavascript:alert(1)\n"
            "ftp://example.org/c"
        )
        html = html_of(client, practice)
        assert '<a href="https://example.org/a" rel="noopener noreferrer">' in html
        assert '<a href="http://example.org/b" rel="noopener noreferrer">' in html
        assert "<li>javascript:alert(1)</li>" in html
        assert "<li>ftp://example.org/c</li>" in html
        assert 'href="javascript' not in html
        assert 'href="ftp' not in html

    def test_the_published_toolkits_that_contain_it(self, client, world):
        practice = published(world)
        shown = toolkit_with(world, [practice], title="Published toolkit")
        services.edition_publish(shown, by=fresh(world.expert))
        toolkit_with(world, [practice], title="Toolkit in the making")
        html = html_of(client, practice)
        assert (
            f'<a href="{shown.get_absolute_url()}" lang="en" dir="ltr">Published toolkit</a>'
            in html
        )
        assert "Toolkit in the making" not in html

    def test_images_with_their_text_alternative(self, client, world):
        practice = published(world)
        image = PracticeImage.objects.create(
            practice=practice,
            image="practices/1/market.png",
            alt_text="Stalls of <migrant> traders",
            caption="The market",
        )
        html = html_of(client, practice)
        assert "Images" in html
        try:
            url = reverse("toolkits:practice_image", kwargs={"slug": practice.slug, "pk": image.pk})
        except NoReverseMatch:
            # The image view is not routed yet: the page still renders, without the picture.
            assert "<img" not in html.split("</header>", 1)[1]
        else:
            assert f'<img src="{url}" alt="Stalls of &lt;migrant&gt; traders"' in html
            assert '<figcaption lang="en" dir="ltr">The market</figcaption>' in html

    def test_an_unknown_address_is_404(self, client, world):
        response = client.get(reverse("toolkits:practice", kwargs={"slug": "no-such-practice"}))
        assert response.status_code == 404

    def test_post_is_not_allowed(self, client, world):
        practice = published(world)
        response = client.post(practice.get_absolute_url())
        assert response.status_code == 405


class TestPracticeNotPublished:
    """A draft, a practice in review or returned: its city's officers, its reviewers and the
    programme's coordinators see it; for everyone else it does not exist."""

    @pytest.fixture(params=["draft", "in_review", "returned"])
    def practice(self, request, world):
        practice = draft(world, title="Not yet public")
        if request.param != "draft":
            services.practice_submit(practice, by=fresh(world.officer))
        if request.param == "returned":
            services.practice_return(practice, by=fresh(world.expert), comment="Add figures.")
        practice.refresh_from_db()
        return practice

    def test_anonymous_visitors_get_404(self, client, practice):
        assert page(client, practice).status_code == 404

    @pytest.mark.parametrize(
        "who",
        [
            "other_officer",
            "supervisor",
            "other_expert",
            "partner",
            "outsider_coordinator",
            "outsider_expert",
        ],
    )
    def test_people_without_a_part_in_it_get_404(self, client, world, practice, who):
        assert page(client, practice, user=getattr(world, who)).status_code == 404

    @pytest.mark.parametrize("who", ["officer", "expert", "coordinator"])
    def test_its_officers_and_reviewers_see_it_with_its_status(self, client, world, practice, who):
        html = html_of(client, practice, user=getattr(world, who))
        assert "Not yet public" in html
        assert f"Not published: {practice.get_status_display()}." in html
        assert "Download as PDF" not in html

    def test_the_officer_may_edit_and_submit_a_draft_or_returned_practice(
        self, client, world, practice
    ):
        html = html_of(client, practice, user=world.officer)
        slug = practice.slug
        can_write = practice.status in ("draft", "returned")
        assert (f'href="{reverse("toolkits:practice_edit", args=[slug])}"' in html) is can_write
        submit = f'<form method="post" action="{reverse("toolkits:practice_submit", args=[slug])}"'
        assert (submit in html) is can_write
        assert 'name="csrfmiddlewaretoken"' in html
        assert reverse("toolkits:practice_review", args=[slug]) not in html

    @pytest.mark.parametrize("who", ["expert", "coordinator"])
    def test_reviewers_are_offered_the_review_while_it_is_in_review(
        self, client, world, practice, who
    ):
        html = html_of(client, practice, user=getattr(world, who))
        review = reverse("toolkits:practice_review", args=[practice.slug])
        assert (f'href="{review}"' in html) is (practice.status == "in_review")
        assert f'href="{reverse("toolkits:practice_edit", args=[practice.slug])}"' in html
        assert "Submit for review" not in html


class TestQueryCount:
    @pytest.mark.parametrize("who", [None, "officer"])
    def test_the_same_with_1_and_10_images_and_target_groups(
        self, client, world, django_assert_num_queries, who
    ):
        groups = list(TargetGroup.objects.filter(programme=world.programme))
        practice = published(world, target_groups=groups[:1])
        PracticeImage.objects.create(practice=practice, image="p/0.png", alt_text="Image 0")
        toolkit = toolkit_with(world, [practice])
        services.edition_publish(toolkit, by=fresh(world.expert))
        if who:
            client.force_login(getattr(world, who))

        with CaptureQueriesContext(connection) as small:
            html = html_of(client, practice)
        assert html.count("<li>") >= 1

        practice.target_groups.set(groups[:10])
        PracticeImage.objects.bulk_create(
            PracticeImage(practice=practice, image=f"p/{n}.png", alt_text=f"Image {n}")
            for n in range(1, 10)
        )
        with django_assert_num_queries(len(small)):
            html = html_of(client, practice)
        assert "Job seekers" in html

    def test_a_draft_page_is_as_cheap(self, client, world, django_assert_max_num_queries):
        practice = draft(world, started_on=date(2017, 1, 1))
        client.force_login(world.officer)
        with CaptureQueriesContext(connection) as small:
            html_of(client, practice)
        practice.target_groups.set(TargetGroup.objects.all())
        with django_assert_max_num_queries(len(small)):
            html = html_of(client, practice)
        assert re.search(r"<li>Job seekers</li>", html)
