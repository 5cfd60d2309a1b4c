"""A programme's open data: the tables it publishes, described, as a ZIP of CSV files with a
Frictionless Data descriptor (``datapackage.json``) and as one JSON document.

What goes in is what the programme publishes anyway, and no personal data: the programme, its
schemes, the cities taking part, the pairings agreed, the events that are over, the published
practices and the published toolkits (mentoring.selectors.open_data, toolkits.selectors). Only
for a programme that chose an open licence (``Programme.open_data_licence``).

The same data gives the same bytes: rows in a fixed order, the ZIP's entries dated by the data's
last change, JSON keys in a fixed order. Building the files reads every row (at 5,000 events and
5,000 practices, about a second), so a build is kept in the cache under the data's state, which
a handful of small queries tell (``dataset_state``): a download reads that state and sends the
kept bytes; any change to the data changes the state and the next download builds anew. The
state also gives the ETag and Last-Modified that let a client ask again for nothing.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config import clock
from documents.exports import CsvDocument
from mentoring.models import Programme
from mentoring.selectors import open_data as mentoring_open
from toolkits import selectors as toolkit_selectors

# Raise when the tables or their descriptions change, so that kept builds are not served.
FORMAT_VERSION = 1
# A kept build lives this long at most, whatever the state says: what the state does not watch
# (a host city's or an event kind's new name, a renamed commitment) shows within this time.
CACHE_SECONDS = 60 * 60
ZIP_TYPE = "application/zip"
JSON_TYPE = "application/json"
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type: string, integer, number, date, boolean
    description: str | Promise
    format: str = ""  # e.g. "uri" for a web address


@dataclass(frozen=True)
class Table:
    name: str
    title: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (column, table whose "id" it names)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def _id(what: str | Promise) -> Column:
    return Column("id", "integer", what)


def _list(name: str, what: str | Promise) -> Column:
    return Column(name, "string", what)


TABLES = (
    Table(
        "programme",
        _("Programme"),
        _("The programme itself: one row."),
        (
            _id(_("The programme's number in the portal.")),
            Column("slug", "string", _("The programme's short name in web addresses.")),
            Column("name", "string", _("The programme's name.")),
            Column("description", "string", _("What the programme is about.")),
            Column("network", "string", _("The network that coordinates the programme.")),
            Column("funder", "string", _("Who funds the programme.")),
            Column("starts_on", "date", _("The programme's first day.")),
            Column("ends_on", "date", _("The programme's last day.")),
            Column(
                "commitment_framework",
                "string",
                _("The set of commitments its schemes and practices serve, if any."),
            ),
            Column("licence", "string", _("SPDX identifier of the licence of this data.")),
            Column("licence_url", "string", _("Web address of the licence's text."), "uri"),
        ),
    ),
    Table(
        "schemes",
        _("Thematic schemes"),
        _("The programme's themes, each facilitated by an expert organisation."),
        (
            _id(_("The scheme's number in the portal.")),
            Column("code", "string", _("The scheme's short code within the programme.")),
            Column("theme", "string", _("The scheme's theme.")),
            Column("description", "string", _("What the scheme is about.")),
            Column("facilitator", "string", _("The expert organisation facilitating it.")),
            Column(
                "facilitator_country",
                "string",
                _("ISO 3166-1 code of the facilitator's country, if known."),
            ),
            _list(
                "commitments",
                _("Numbers of the framework's commitments it serves, separated by semicolons."),
            ),
        ),
    ),
    Table(
        "cities",
        _("Cities"),
        _(
            "The cities taking part in the programme, and the other cities its practices and "
            "events name."
        ),
        (
            _id(_("The city's number in the portal.")),
            Column("slug", "string", _("The city's short name in web addresses.")),
            Column("name", "string", _("The city's name.")),
            Column("country", "string", _("ISO 3166-1 alpha-2 code of the city's country.")),
            Column("latitude", "number", _("Latitude in decimal degrees (WGS 84).")),
            Column("longitude", "number", _("Longitude in decimal degrees (WGS 84).")),
            Column("time_zone", "string", _("The city's IANA time zone, e.g. Europe/Riga.")),
            _list(
                "languages",
                _("ISO 639-1 codes of the city's main languages, separated by semicolons."),
            ),
            Column(
                "takes_part",
                "boolean",
                _(
                    "Whether the city takes part in the programme (yes or no in the CSV); not "
                    "for a city named only by a practice or as an event's host."
                ),
            ),
            Column("joined_on", "date", _("The day the city joined the programme, if known.")),
        ),
    ),
    Table(
        "pairings",
        _("Pairings"),
        _(
            "Mentor cities paired with implementing cities within a scheme: the pairings "
            "under way or completed (not proposals, not withdrawn ones)."
        ),
        (
            _id(_("The pairing's number in the portal.")),
            Column("scheme_id", "integer", _("The scheme (schemes.id).")),
            Column("scheme_code", "string", _("The scheme's code.")),
            Column("mentor_city_id", "integer", _("The mentor city (cities.id).")),
            Column("mentor_city", "string", _("The mentor city's name.")),
            Column("implementing_city_id", "integer", _("The implementing city (cities.id).")),
            Column("implementing_city", "string", _("The implementing city's name.")),
            Column("status", "string", _("active (under way) or completed.")),
        ),
        foreign_keys=(
            ("scheme_id", "schemes"),
            ("mentor_city_id", "cities"),
            ("implementing_city_id", "cities"),
        ),
    ),
    Table(
        "events",
        _("Past events"),
        _(
            "Meetings and visits that are over (before the day the data was built), without "
            "the people who took part; cancelled events are left out."
        ),
        (
            _id(_("The event's number in the portal.")),
            Column("title", "string", _("The event's title.")),
            Column("kind", "string", _("The kind of event, as the programme names it.")),
            Column("kind_code", "string", _("The kind's short code within the programme.")),
            Column("starts_on", "date", _("The first day, in the event's time zone.")),
            Column("ends_on", "date", _("The last day, in the event's time zone.")),
            Column("time_zone", "string", _("The event's IANA time zone.")),
            Column("status", "string", _("planned, confirmed or held.")),
            Column("venue", "string", _("Where it took place, if in person.")),
            Column("host_city_id", "integer", _("The city that hosted it, if any (its number).")),
            Column("host_city", "string", _("The host city's name.")),
            Column("host_country", "string", _("ISO 3166-1 code of the host city's country.")),
            Column(
                "pairing_id",
                "integer",
                _("The pairing it belongs to (pairings.id); empty for a programme-wide event."),
            ),
            Column("scheme_code", "string", _("The code of the pairing's scheme.")),
        ),
        foreign_keys=(("pairing_id", "pairings"),),
    ),
    Table(
        "practices",
        _("Good practices"),
        _("The programme's published good practices, as the public catalogue shows them."),
        (
            _id(_("The practice's number in the portal.")),
            Column("slug", "string", _("The practice's short name in web addresses.")),
            Column("url", "string", _("The practice's public page."), "uri"),
            Column("title", "string", _("The practice's title.")),
            Column("language", "string", _("ISO 639-1 code of the language it is written in.")),
            Column("city_id", "integer", _("The city whose practice it is (cities.id).")),
            Column("city", "string", _("The city's name.")),
            Column("country", "string", _("ISO 3166-1 code of the city's country.")),
            Column("scheme_id", "integer", _("Its theme (schemes.id).")),
            Column("scheme_code", "string", _("The code of its theme.")),
            Column("summary", "string", _("A short summary.")),
            Column("challenge", "string", _("The challenge it met.")),
            Column("actions", "string", _("What was done.")),
            Column("results", "string", _("What changed.")),
            Column("resources", "string", _("Staff, partners and means it took.")),
            Column("transferability", "string", _("What another city needs to copy it.")),
            _list(
                "partner_organisations",
                _("The partner organisations, separated by semicolons."),
            ),
            _list("target_groups", _("Whom it serves, separated by semicolons.")),
            _list(
                "commitments",
                _("Numbers of the framework's commitments it serves, separated by semicolons."),
            ),
            Column("budget", "number", _("Its total budget, if given.")),
            Column("eu_contribution", "number", _("The EU's contribution, if given.")),
            Column("currency", "string", _("ISO 4217 code of the budget's currency.")),
            Column("started_on", "date", _("The day it started.")),
            Column("ended_on", "date", _("The day it ended; empty while it runs.")),
            _list("links", _("Web addresses about it, separated by spaces.")),
            Column("published_on", "date", _("The day it was published.")),
            Column("updated_on", "date", _("The day it was last changed.")),
        ),
        foreign_keys=(("city_id", "cities"), ("scheme_id", "schemes")),
    ),
    Table(
        "toolkits",
        _("Toolkits"),
        _("Published toolkits: practices of a theme bundled in editions to download."),
        (
            _id(_("The toolkit's number in the portal.")),
            Column("slug", "string", _("The toolkit's short name in web addresses.")),
            Column("url", "string", _("The toolkit's public page."), "uri"),
            Column("title", "string", _("The title of its latest edition.")),
            Column("language", "string", _("ISO 639-1 code of the language it is written in.")),
            Column("scheme_id", "integer", _("Its theme (schemes.id).")),
            Column("scheme_code", "string", _("The code of its theme.")),
            Column("introduction", "string", _("The introduction of its latest edition.")),
            Column("editions", "integer", _("How many editions were published.")),
            Column("latest_edition", "integer", _("The number of its latest edition.")),
            Column("latest_published_on", "date", _("The day its latest edition came out.")),
            Column("pdf_url", "string", _("The latest edition as a PDF."), "uri"),
        ),
        foreign_keys=(("scheme_id", "schemes"),),
    ),
    Table(
        "toolkit_practices",
        _("Practices in toolkits"),
        _(
            "Which published practices each toolkit's latest edition holds, in order "
            "(practices since withdrawn are left out)."
        ),
        (
            Column("toolkit_id", "integer", _("The toolkit (toolkits.id).")),
            Column("position", "integer", _("The practice's place in the toolkit, from 1.")),
            Column("practice_id", "integer", _("The practice (practices.id).")),
        ),
        foreign_keys=(("toolkit_id", "toolkits"), ("practice_id", "practices")),
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}


# The state of the data: what tells a build apart from the next ---------------------------------


@dataclass(frozen=True)
class DatasetState:
    version: str  # a checksum of everything below: the ETag and the cache key
    cut_off: date  # events that ended before this day are in
    last_modified: datetime | None  # the latest change the state knows of


def dataset_state(programme: Programme) -> DatasetState:
    """The state of the programme's open data, in six queries whatever its size: the small
    tables whole, the large ones (events, practices, editions) as counts, sums of their
    numbers and last changes; and the day that decides which events are past."""
    cut_off = clock.today(UTC)
    frame = mentoring_open.open_frame_state(programme, before=cut_off)
    catalogue = toolkit_selectors.open_catalogue_state(programme)
    programme_row = [getattr(programme, field.attname) for field in programme._meta.concrete_fields]
    parts = [FORMAT_VERSION, cut_off, programme_row, frame, catalogue]
    version = hashlib.sha256(
        json.dumps(parts, default=str, separators=(",", ":")).encode()
    ).hexdigest()
    events, (practices, editions) = frame[-1], catalogue
    moments = [events["last"], practices["last"], editions["changed"]]
    if editions["last"] is not None:
        moments.append(datetime.combine(editions["last"], time.min, tzinfo=UTC))
    known = [moment for moment in moments if moment is not None]
    return DatasetState(version=version, cut_off=cut_off, last_modified=max(known, default=None))


# The rows ---------------------------------------------------------------------------------------


def _joined(values: Iterable) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def dataset_rows(programme: Programme, state: DatasetState) -> dict[str, list[list]]:
    """Every table's rows, in the columns' order; a fixed number of queries."""
    licence = programme.licence
    rows: dict[str, list[list]] = {
        "programme": [
            [
                programme.pk,
                programme.slug,
                programme.name,
                programme.description,
                programme.network,
                programme.funder,
                programme.starts_on,
                programme.ends_on,
                programme.framework.name if programme.framework_id else "",
                licence.spdx if licence else "",
                licence.url if licence else "",
            ]
        ],
        "schemes": [
            [
                scheme.pk,
                scheme.code,
                scheme.theme,
                scheme.description,
                scheme.facilitator.name,
                scheme.facilitator.country.code or "",
                _joined(sorted(c.number for c in scheme.commitments.all())),
            ]
            for scheme in mentoring_open.open_schemes(programme)
        ],
        "pairings": [
            [
                pairing.pk,
                pairing.scheme_id,
                pairing.scheme.code,
                pairing.mentor_id,
                pairing.mentor.name,
                pairing.implementing_id,
                pairing.implementing.name,
                pairing.status,
            ]
            for pairing in mentoring_open.open_pairings(programme)
        ],
        "events": [
            [
                event.pk,
                event.title,
                event.kind.name,
                event.kind.code,
                event.starts_on,
                event.ends_on,
                event.time_zone,
                event.status,
                event.venue,
                event.host_city_id,
                event.host_city.name if event.host_city_id else "",
                event.host_city.country.code if event.host_city_id else "",
                event.pairing_id,
                event.pairing.scheme.code if event.pairing_id else "",
            ]
            for event in mentoring_open.past_events(programme, before=state.cut_off)
        ],
    }
    practices = list(toolkit_selectors.open_practices(programme))
    named = {p.city_id for p in practices} | {
        row[9] for row in rows["events"] if row[9] is not None
    }
    rows["cities"] = [
        [
            city.pk,
            city.slug,
            city.name,
            city.country.code,
            city.latitude,
            city.longitude,
            city.time_zone,
            _joined(city.languages or []),
            city.takes_part,
            city.joined_on,
        ]
        for city in mentoring_open.open_cities(programme, also=named)
    ]
    rows["practices"] = [
        [
            practice.pk,
            practice.slug,
            _absolute(practice.get_absolute_url()),
            practice.title,
            practice.language,
            practice.city_id,
            practice.city.name,
            practice.city.country.code,
            practice.scheme_id,
            practice.scheme.code,
            practice.summary,
            practice.challenge,
            practice.actions,
            practice.results,
            practice.resources,
            practice.transferability,
            _joined(practice.partner_list()),
            _joined(group.name for group in practice.target_groups.all()),
            _joined(sorted(c.number for c in practice.commitments.all())),
            practice.budget,
            practice.eu_contribution,
            practice.currency,
            practice.started_on,
            practice.ended_on,
            " ".join(practice.link_list()),
            practice.published_at.astimezone(UTC).date() if practice.published_at else None,
            practice.updated_at.astimezone(UTC).date(),
        ]
        for practice in practices
    ]
    rows["toolkits"], rows["toolkit_practices"] = _toolkit_rows(
        programme, {practice.pk for practice in practices}
    )
    return rows


def _toolkit_rows(programme: Programme, published: set[int]) -> tuple[list[list], list[list]]:
    toolkits, entries = [], []
    languages = {code for code, _name in settings.LANGUAGES}
    for toolkit in toolkit_selectors.open_toolkits(programme):
        latest = toolkit.latest_editions[0]
        snapshot = latest.snapshot or {}
        language = snapshot.get("language") or toolkit.language
        pdf_language = language if language in languages else settings.LANGUAGE_CODE
        toolkits.append(
            [
                toolkit.pk,
                toolkit.slug,
                _absolute(toolkit.get_absolute_url()),
                snapshot.get("title") or toolkit.title,
                language,
                toolkit.scheme_id,
                toolkit.scheme.code,
                snapshot.get("introduction", ""),
                toolkit.edition_count,
                latest.number,
                latest.published_on,
                _absolute(
                    reverse(
                        "toolkits:edition_pdf",
                        kwargs={
                            "slug": toolkit.slug,
                            "number": latest.number,
                            "language": pdf_language,
                        },
                    )
                ),
            ]
        )
        ids = [item.get("id") for item in snapshot.get("practices", [])]
        kept = [pk for pk in ids if pk in published]
        entries += [[toolkit.pk, position, pk] for position, pk in enumerate(kept, start=1)]
    return toolkits, entries


# The files --------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, date):  # datetime is a date too; the tables hold only dates
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, as written; the schema says it is a number
    return value


def descriptor(programme: Programme, state: DatasetState, rows: dict | None = None) -> dict:
    """The Frictionless Data package descriptor: the package, its licence and every table with
    its schema. With ``rows``, each table's rows are inline (the JSON document); without, each
    table names its CSV file (datapackage.json in the ZIP)."""
    licence = programme.licence
    package: dict = {
        "profile": "tabular-data-package",
        "name": f"{programme.slug}-open-data",
        "title": str(_("Open data of %(programme)s") % {"programme": programme.name}),
        "description": programme.description,
        "homepage": _absolute(reverse("portal:open_data", kwargs={"slug": programme.slug})),
        "version": state.version[:12],
        "created": state.last_modified.astimezone(UTC).isoformat() if state.last_modified else "",
        "licenses": [{"name": licence.spdx, "path": licence.url, "title": str(licence.name)}]
        if licence
        else [],
        "resources": [],
    }
    for table in TABLES:
        resource: dict = {
            "name": table.name,
            "title": str(table.title),
            "description": str(table.description),
            "profile": "tabular-data-resource",
        }
        if rows is None:
            resource |= {
                "path": table.filename,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
            }
        schema: dict = {"fields": [_field(column) for column in table.columns]}
        if table.columns[0].name == "id":
            schema["primaryKey"] = "id"
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": target, "fields": "id"}}
                for column, target in table.foreign_keys
            ]
        resource["schema"] = schema
        if rows is not None:
            names = [column.name for column in table.columns]
            resource["data"] = [
                dict(zip(names, map(_json_value, row), strict=True)) for row in rows[table.name]
            ]
        package["resources"].append(resource)
    return package


def _field(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": str(column.description)}
    if column.format:
        field["format"] = column.format
    if column.type == "boolean":  # as documents.exports writes them in CSV
        field |= {"trueValues": ["yes"], "falseValues": ["no"]}
    return field


def _zip_moment(state: DatasetState) -> tuple[int, int, int, int, int, int]:
    """The date every entry of the ZIP carries: the data's last change (a ZIP cannot hold one
    before 1980), so that the same data makes the same bytes."""
    moment = state.last_modified.astimezone(UTC) if state.last_modified else None
    if moment is None or moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def build_zip(programme: Programme, state: DatasetState) -> bytes:
    """The ZIP: datapackage.json and one CSV per table (UTF-8 with a byte-order mark so that
    spreadsheets read it right; text that a spreadsheet would run as a formula neutralised by
    documents.exports)."""
    rows = dataset_rows(programme, state)
    moment = _zip_moment(state)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:

        def add(name: str, content: bytes) -> None:
            entry = zipfile.ZipInfo(name, date_time=moment)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content, compresslevel=6)

        add("datapackage.json", _json_bytes(descriptor(programme, state), indent=2))
        for table in TABLES:
            document = CsvDocument()
            try:
                document.section(None, [column.name for column in table.columns])
                document.rows(rows[table.name])
                add(table.filename, document.getvalue())
            finally:
                document.close()
    return buffer.getvalue()


def build_json(programme: Programme, state: DatasetState) -> bytes:
    """The JSON document: the same descriptor with every table's rows inline."""
    rows = dataset_rows(programme, state)
    return _json_bytes(descriptor(programme, state, rows), indent=None)


def _json_bytes(data: dict, *, indent: int | None) -> bytes:
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode()


BUILDERS = {"zip": (build_zip, ZIP_TYPE), "json": (build_json, JSON_TYPE)}


def download(programme: Programme, fmt: str, state: DatasetState) -> bytes:
    """The file in ``fmt`` ("zip" or "json") for this state: kept from an earlier build of the
    same state and language, or built now and kept."""
    build, _content_type = BUILDERS[fmt]
    key = f"open-data:{programme.pk}:{fmt}:{get_language()}:{state.version}"
    content = cache.get(key)
    if content is None:
        content = build(programme, state)
        cache.set(key, content, CACHE_SECONDS)
    return content


def row_counts(programme: Programme, state: DatasetState) -> dict[str, int]:
    """How many rows each table has now, for the dataset page: kept with the state."""
    key = f"open-data:{programme.pk}:counts:{state.version}"
    counts = cache.get(key)
    if counts is None:
        rows = dataset_rows(programme, state)
        counts = {name: len(table_rows) for name, table_rows in rows.items()}
        cache.set(key, counts, CACHE_SECONDS)
    return counts
