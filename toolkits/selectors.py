"""Reads of the public catalogue: published practices and their search, one practice's page, and
the toolkits with their editions.

Everything here issues a fixed number of queries, however many practices, images, editions or
toolkits there are: relations are joined or prefetched, never read row by row.
"""

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django_countries import countries

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from documents.models import StoredFile
from mentoring.models import Commitment, Scheme

from . import permissions
from .models import (
    GoodPractice,
    PracticeStatus,
    Rendering,
    TargetGroup,
    Toolkit,
    ToolkitEdition,
)
from .search import SEARCH_CONFIG
from .snapshots import rendering_hash

# The text fields the search reads, by weight: the title counts most, then the summary.
SEARCH_TITLE = ("title",)
SEARCH_SUMMARY = ("summary",)
SEARCH_BODY = ("challenge", "actions", "results", "transferability", "city__name")
# Without full-text search each word is one more condition on every field: keep it bounded.
MAX_WORDS = 12


def published_practices() -> QuerySet[GoodPractice]:
    """Published practices with what a result line shows (city, theme and its programme)."""
    return GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED).select_related(
        "city", "scheme__programme"
    )


def practices_visible_to(user: User) -> QuerySet[GoodPractice]:
    """Published practices for everyone; for a signed-in person also the unpublished ones their
    pages show them: their cities' (as officers, "My practices") and those of the schemes they
    review (the review queue): the rule of permissions.can_view_practice, as a filter."""
    visible = Q(status=PracticeStatus.PUBLISHED)
    if user.is_authenticated:
        scopes = scopes_of(user)
        visible |= (
            Q(city__in=scopes.city_ids(Role.OFFICER))
            | Q(scheme__in=scopes.facilitated)
            | Q(scheme__programme__in=scopes.coordinated)
        )
    return GoodPractice.objects.filter(visible).select_related("city", "scheme__programme")


def search_practices(practices: QuerySet[GoodPractice], text: str) -> QuerySet[GoodPractice]:
    """The practices that match the words typed, best first.

    PostgreSQL ranks with full-text search (title above summary above the rest of the text).
    Elsewhere every word must appear in one of the fields, and results go by title.
    """
    text = text.strip()
    if not text:
        return practices
    if connection.vendor == "postgresql":
        return _full_text_search(practices, text)
    return _word_search(practices, text)


def _full_text_search(practices: QuerySet[GoodPractice], text: str) -> QuerySet[GoodPractice]:
    """Ranked search on the stored, indexed vector (toolkits.search keeps it up to date)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return (
        practices.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title", "pk")
    )


def _word_search(practices: QuerySet[GoodPractice], text: str) -> QuerySet[GoodPractice]:
    fields = SEARCH_TITLE + SEARCH_SUMMARY + SEARCH_BODY
    for word in re.findall(r"[^\s\"']+", text)[:MAX_WORDS]:
        word = word.lstrip("-") or word
        matches = Q()
        for field in fields:
            matches |= Q(**{f"{field}__icontains": word})
        practices = practices.filter(matches)
    return practices.order_by("title", "pk")


def running_in(practices: QuerySet[GoodPractice], year: int) -> QuerySet[GoodPractice]:
    """Practices under way at some time in the year."""
    return practices.filter(started_on__year__lte=year).filter(
        Q(ended_on__isnull=True) | Q(ended_on__year__gte=year)
    )


# What the filters offer: only what published practices have. ----------------------------------


def themes_with_practices() -> QuerySet[Scheme]:
    published = GoodPractice.objects.filter(scheme=OuterRef("pk"), status=PracticeStatus.PUBLISHED)
    return (
        Scheme.objects.filter(Exists(published))
        .select_related("programme")
        .order_by("programme__name", "code")
    )


def commitments_with_practices() -> QuerySet[Commitment]:
    """The commitments a published practice serves, by framework (``_served``)."""
    return (
        _served(Commitment.objects.all(), GoodPractice.commitments.through, "commitment")
        .select_related("framework")
        .order_by("framework__name", "number")
    )


def target_groups_with_practices() -> QuerySet[TargetGroup]:
    """The target groups a published practice reaches, by programme (``_served``)."""
    return (
        _served(TargetGroup.objects.all(), GoodPractice.target_groups.through, "targetgroup")
        .select_related("programme")
        .order_by("programme__name", "position", "pk")
    )


def _served(queryset: QuerySet, through, name: str) -> QuerySet:
    """The objects of ``queryset`` that a published practice names through the ``through``
    table of a many-to-many field: a semi-join (EXISTS), which reads each practice once, where
    the join made distinct read each practice's every link (at 5,000 practices: 42 → 21 ms)."""
    named = through.objects.filter(
        **{name: OuterRef("pk")}, goodpractice__status=PracticeStatus.PUBLISHED
    )
    return queryset.filter(Exists(named))


def cities_with_practices() -> QuerySet[City]:
    published = GoodPractice.objects.filter(city=OuterRef("pk"), status=PracticeStatus.PUBLISHED)
    return City.objects.filter(Exists(published)).order_by("name", "pk")


def countries_with_practices() -> list[tuple[str, str]]:
    """(code, name) of the countries with a published practice, by name in the current
    language."""
    # Cities with one (a probe of the practices' city index each), not every practice joined:
    # at 5,000 practices that read them all (16 against 2 ms).
    codes = cities_with_practices().values_list("country", flat=True).distinct().order_by()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


# One practice ----------------------------------------------------------------------------------


def practice_page(slug: str) -> GoodPractice | None:
    """The practice with everything its page shows, whatever its status (None if no such)."""
    return (
        GoodPractice.objects.select_related("city", "scheme__programme")
        .prefetch_related("target_groups", "commitments__framework", "images")
        .filter(slug=slug)
        .first()
    )


def practice_visible(user: User, slug: str) -> GoodPractice | None:
    """The practice if the person may see it: published, or theirs to write or review."""
    practice = practice_page(slug)
    if practice is None or not permissions.can_view_practice(user, practice):
        return None
    return practice


def toolkits_containing(practice: GoodPractice) -> QuerySet[Toolkit]:
    """The published toolkits the practice is part of."""
    return (
        published_toolkits()
        .filter(entries__practice=practice)
        .select_related("scheme__programme")
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class Link:
    url: str
    is_web: bool  # http or https: shown as a link; anything else only as text


def practice_links(practice: GoodPractice) -> list[Link]:
    return [
        Link(url=url, is_web=urlsplit(url).scheme.lower() in ("http", "https"))
        for url in practice.link_list()
    ]


# Toolkits --------------------------------------------------------------------------------------


def _has_edition():
    return Exists(ToolkitEdition.objects.filter(toolkit=OuterRef("pk")))


def published_toolkits() -> QuerySet[Toolkit]:
    """Toolkits with at least one edition."""
    return Toolkit.objects.filter(_has_edition())


def toolkits_visible_to(user: User) -> QuerySet[Toolkit]:
    """Published toolkits for everyone; those the person manages too, published or not."""
    scopes = scopes_of(user)
    managed = Q(scheme_id__in=scopes.facilitated) | Q(scheme__programme_id__in=scopes.coordinated)
    return Toolkit.objects.filter(_has_edition() | managed)


def toolkit_list(user: User) -> QuerySet[Toolkit]:
    """The toolkits the person may see, by programme, theme and title, with their editions
    newest first."""
    return (
        toolkits_visible_to(user)
        .select_related("scheme__programme")
        .prefetch_related(
            Prefetch("editions", queryset=ToolkitEdition.objects.order_by("-number", "pk"))
        )
        .order_by("scheme__programme__name", "scheme__code", "title", "pk")
    )


def toolkit_page(user: User, slug: str) -> Toolkit | None:
    """The toolkit with its editions and success factors, if the person may see it."""
    return (
        toolkits_visible_to(user)
        .select_related("scheme__programme")
        .prefetch_related(
            Prefetch("editions", queryset=ToolkitEdition.objects.order_by("-number", "pk")),
            "success_factors",
        )
        .filter(slug=slug)
        .first()
    )


# PDFs ------------------------------------------------------------------------------------------

# What serving a rendering's stored file reads (documents.responses.stored_file_response).
STORED_FILE_FIELDS = ("pdf__file", "pdf__filename", "pdf__content_type", "pdf__sha256")


def stored_edition_pdf(slug: str, number: int, language: str) -> Rendering | None:
    """The rendering of the edition at this address in this language that has a stored file,
    with the file: one query, which leaves the edition's snapshot unread. None when there is no
    such file yet, and when no edition has this address (the caller looks the edition up then).

    An edition's renderings in one language differ only by the templates' version
    (snapshots.RENDERER_VERSION); the one of the present version is the edition's PDF.

    The query is written out (``_edition_pdf_sql``) rather than built by the ORM at each call:
    a download is the portal's hottest address, and building the four tables' join took about
    three times as long as running it (bench: 1.8 of 2.3 ms); the models are made from the row
    as the ORM would (``from_db``), with only these columns loaded."""
    with connection.cursor() as cursor:
        cursor.execute(_edition_pdf_sql(), [slug, number, language])
        rows = cursor.fetchall()
    for row in rows:
        rendering_id, content_hash, edition_id, edition_hash, pdf_id, *stored = row
        if content_hash != rendering_hash("edition", edition_hash, language):
            continue
        rendering = _loaded(
            Rendering,
            id=rendering_id,
            content_hash=content_hash,
            edition_id=edition_id,
            language=language,
            pdf_id=pdf_id,
        )
        rendering.pdf = _loaded(
            StoredFile, id=pdf_id, **dict(zip(STORED_FILE_COLUMNS, stored, strict=True))
        )
        return rendering
    return None


def _loaded(model, **values):
    """An instance of ``model`` as the ORM makes it from a row holding only these fields (the
    others deferred): ``from_db`` takes the values in the order of the model's fields."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


STORED_FILE_COLUMNS = ("file", "filename", "content_type", "sha256")


@cache
def _edition_pdf_sql() -> str:
    """The query of ``stored_edition_pdf``, its tables and columns named from the models."""
    rendering, edition = Rendering._meta, ToolkitEdition._meta
    toolkit, stored = Toolkit._meta, StoredFile._meta

    def column(meta, name: str) -> str:
        return connection.ops.quote_name(meta.get_field(name).column)

    def table(meta) -> str:
        return connection.ops.quote_name(meta.db_table)

    stored_columns = ", ".join(f"f.{column(stored, name)}" for name in STORED_FILE_COLUMNS)
    # Only the models' own names, quoted, go into the text; the values are parameters.
    return (
        f"SELECT r.{column(rendering, 'id')}, r.{column(rendering, 'content_hash')}, "  # noqa: S608
        f"e.{column(edition, 'id')}, e.{column(edition, 'content_hash')}, "
        f"f.{column(stored, 'id')}, {stored_columns} "
        f"FROM {table(rendering)} r "
        f"JOIN {table(edition)} e ON e.{column(edition, 'id')} = r.{column(rendering, 'edition')} "
        f"JOIN {table(toolkit)} t ON t.{column(toolkit, 'id')} = e.{column(edition, 'toolkit')} "
        f"JOIN {table(stored)} f ON f.{column(stored, 'id')} = r.{column(rendering, 'pdf')} "
        f"WHERE t.{column(toolkit, 'slug')} = %s AND e.{column(edition, 'number')} = %s "
        f"AND r.{column(rendering, 'language')} = %s"
    )


def stored_rendering(content_hash: str) -> Rendering | None:
    """The rendering of this content that has a stored file, with the file (one query)."""
    return (
        Rendering.objects.filter(content_hash=content_hash, pdf__isnull=False)
        .select_related("pdf")
        .only(*STORED_FILE_FIELDS)
        .first()
    )


def practice_for_pdf(slug: str) -> GoodPractice | None:
    """A published practice with everything its PDF's checksum reads (snapshots.
    practice_snapshot), in a fixed number of queries."""
    return (
        GoodPractice.objects.filter(slug=slug, status=PracticeStatus.PUBLISHED)
        .select_related("city", "scheme")
        .prefetch_related("target_groups", "commitments__framework", "images")
        .first()
    )


@dataclass(frozen=True)
class EditionPractice:
    """A practice as an edition lists it, with the address of its page while it is still
    published."""

    title: str
    city: str
    country: str
    language: str
    url: str | None


def edition_practices(edition: ToolkitEdition) -> list[EditionPractice]:
    """The practices of an edition in their order, as published; one query tells which are
    still published."""
    listed = edition.snapshot.get("practices", [])
    ids = [item.get("id") for item in listed if item.get("id") is not None]
    still_published = dict(
        GoodPractice.objects.filter(pk__in=ids, status=PracticeStatus.PUBLISHED).values_list(
            "pk", "slug"
        )
    )
    rows = []
    for item in listed:
        slug = still_published.get(item.get("id"))
        rows.append(
            EditionPractice(
                title=item.get("title", ""),
                city=item.get("city", ""),
                country=countries.name(item.get("country", "")) or item.get("country", ""),
                language=item.get("language", ""),
                url=reverse("toolkits:practice", kwargs={"slug": slug}) if slug else None,
            )
        )
    return rows


def current_practices(toolkit: Toolkit) -> list[EditionPractice]:
    """The practices the toolkit holds now, in order, for those who manage it before its first
    edition."""
    entries = toolkit.entries.select_related("practice__city").order_by("position", "pk")
    return [
        EditionPractice(
            title=entry.practice.title,
            city=entry.practice.city.name,
            country=entry.practice.city.country.name,
            language=entry.practice.language,
            url=entry.practice.get_absolute_url() if entry.practice.is_published else None,
        )
        for entry in entries
    ]


# What experts and coordinators edit --------------------------------------------------------


def _managed_scope(user: User) -> Q:
    """Schemes the person facilitates as expert partner, and every scheme of the programmes
    they coordinate: the rule of permissions.reviews_scheme, as a filter on schemes."""
    scopes = scopes_of(user)
    return Q(pk__in=scopes.facilitated) | Q(programme__in=scopes.coordinated)


def managed_schemes(user: User) -> QuerySet:
    return (
        Scheme.objects.filter(_managed_scope(user))
        .select_related("programme")
        .order_by("programme__name", "code")
    )


def managed_toolkits(user: User) -> QuerySet:
    """The toolkits the person edits, with what the workspace lists of each."""
    last = ToolkitEdition.objects.filter(toolkit=OuterRef("pk")).order_by("-number")
    published = Q(entries__practice__status=PracticeStatus.PUBLISHED)
    scopes = scopes_of(user)
    return (
        Toolkit.objects.filter(
            Q(scheme__in=scopes.facilitated) | Q(scheme__programme__in=scopes.coordinated)
        )
        .select_related("scheme__programme")
        .annotate(
            practice_count=Count("entries", filter=published),
            withdrawn_count=Count("entries", filter=~published),
            last_number=Subquery(last.values("number")[:1]),
            last_published_on=Subquery(last.values("published_on")[:1]),
        )
        .order_by("scheme__programme__name", "scheme__code", "title", "pk")
    )


# Open data (portal's open data pages): what the catalogue shows, without people -----------------


def open_practices(programme) -> QuerySet[GoodPractice]:
    """The programme's published practices, oldest first, without the fields that name people
    (author, contact) or serve only the search. Three queries (target groups, commitments)."""
    return (
        GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED, scheme__programme=programme)
        .select_related("city", "scheme")
        .prefetch_related("target_groups", "commitments")
        .defer("search_vector", "contact_name", "contact_email", "author")
        .order_by("pk")
    )


def open_toolkits(programme) -> QuerySet[Toolkit]:
    """The programme's published toolkits with their number of editions and their latest
    edition (``latest_editions``, one, snapshot included). Two queries."""
    newest = (
        ToolkitEdition.objects.filter(toolkit=OuterRef("toolkit")).order_by("-number").values("pk")
    )
    latest = ToolkitEdition.objects.filter(pk=Subquery(newest[:1])).defer("published_by")
    return (
        published_toolkits()
        .filter(scheme__programme=programme)
        .select_related("scheme")
        .annotate(edition_count=Count("editions"))
        .prefetch_related(Prefetch("editions", queryset=latest, to_attr="latest_editions"))
        .order_by("pk")
    )


def open_catalogue_state(programme) -> list:
    """What the programme's published practices and toolkits are now, as counts and last
    changes (for telling whether its dataset changed). Two queries."""
    practices = (
        GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED, scheme__programme=programme)
        .order_by()
        .aggregate(count=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
    )
    editions = (
        ToolkitEdition.objects.filter(toolkit__scheme__programme=programme)
        .order_by()
        .aggregate(
            count=Count("pk"),
            ids=Sum("pk"),
            last=Max("published_on"),
            changed=Max("toolkit__updated_at"),
        )
    )
    return [practices, editions]
