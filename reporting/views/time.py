"""The officer's own time: "My time" with their months, the month grid where a whole month is
typed at once, and single entries (the way to book time on an event).

Everything here is the signed-in person's own time, for a city they are an officer of. Other
people's entries and programmes their cities do not take part in are 404; a person who is no
city officer gets 403 with a page that says who records time. Views read the input, call one
service and turn its ValidationError into messages next to the fields (400).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role, User
from accounts.selectors import today_for
from cities.models import City
from cities.selectors import cities_of
from config import stale
from config.slugs import raise_if_moved
from config.views import add_service_errors, render_form
from mentoring.models import Event, Participation, Programme

from .. import services
from ..forms.time import (
    DRAWN_FIELD,
    EntryForm,
    GoToMonthForm,
    GridInput,
    drawn_json,
    parse_grid,
    parse_hours,
    programme_months,
)
from ..models import Activity, TimeEntry, TimesheetMonth

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


# Who and where ----------------------------------------------------------------------------------


def _officer_cities(user: User) -> list[City]:
    """The cities the person records time for, by name; no query beyond their memberships."""
    return cities_of(user, Role.OFFICER)


def _not_officer(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/time/not_officer.html", status=403)


def _city_param(request: HttpRequest, cities: list[City]) -> City | None:
    """The city named in ?city=, which must be one of the person's (404 otherwise)."""
    raw = request.GET.get("city", "").strip()
    if not raw:
        return None
    for city in cities:
        if str(city.pk) == raw:
            return city
    raise Http404


def _with_city(url: str, city: City, cities: list[City]) -> str:
    """Links carry the city only for people who act for several."""
    return f"{url}?{urlencode({'city': city.pk})}" if len(cities) > 1 else url


def grid_url(programme: Programme, month: date, city: City, cities: list[City]) -> str:
    url = reverse(
        "reporting:grid",
        kwargs={"programme": programme.slug, "year": month.year, "month": month.month},
    )
    return _with_city(url, city, cities)


def _programme_and_city(
    request: HttpRequest, cities: list[City], slug: str
) -> tuple[Programme, City]:
    """The programme of the URL and the officer's city taking part in it (404 if none does)."""
    chosen = _city_param(request, cities)
    candidates = [chosen] if chosen else cities
    participation = (
        Participation.objects.filter(programme__slug=slug, city__in=candidates)
        .select_related("programme")
        .order_by("city__name", "city_id")
        .first()
    )
    if participation is None:
        raise_if_moved(Programme.objects.filter(participations__city__in=candidates), slug=slug)
        raise Http404
    city = next(c for c in candidates if c.pk == participation.city_id)
    return participation.programme, city


def _plain(value: Decimal) -> str:
    """Hours as typed in a number input: 2, 2.5 (never 2.0 or 2E+1)."""
    return format(value.normalize(), "f")


# My time ----------------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    sheet: TimesheetMonth | None
    hours: Decimal
    grid_url: str


@login_required
@require_safe
def my_time(request: HttpRequest) -> HttpResponse:
    """The officer's months per programme of their city, and a picker to open any month."""
    user = request.user
    cities = _officer_cities(user)
    if not cities:
        return _not_officer(request)
    city = _city_param(request, cities) or cities[0]
    today = today_for(user)
    programmes = list(
        Programme.objects.filter(participations__city=city).order_by("-starts_on", "name")
    )
    sheets: dict[int, dict[date, TimesheetMonth]] = defaultdict(dict)
    for sheet in (
        TimesheetMonth.objects.filter(person=user, city=city)
        .annotate(entry_hours=Sum("entries__hours"))
        .order_by()
    ):
        sheets[sheet.programme_id][sheet.month] = sheet
    sections = []
    for programme in programmes:
        own = sheets.get(programme.pk, {})
        months = sorted(set(programme_months(programme, today)) | set(own), reverse=True)
        rows = [
            MonthRow(
                month=month,
                sheet=own.get(month),
                hours=(own[month].entry_hours or Decimal(0)) if month in own else Decimal(0),
                grid_url=grid_url(programme, month, city, cities),
            )
            for month in months
        ]
        sections.append({"programme": programme, "months": rows})
    form = GoToMonthForm(
        request.GET if "programme" in request.GET else None, programmes=programmes, today=today
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return redirect(grid_url(data["programme"], data["month"], city, cities))
    context = {
        "city": city,
        "cities": cities,
        "sections": sections,
        "form": form,
        "entry_create_url": _with_city(reverse("reporting:entry_create"), city, cities),
    }
    return render_form(request, "reporting/time/my_time.html", context)


# The month grid ---------------------------------------------------------------------------------


@dataclass
class Cell:
    name: str
    activity: str
    activity_label: str
    value: str
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


@dataclass
class DayRow:
    day: date
    closed: str | None
    cells: list[Cell]
    description: Cell
    linked: list[TimeEntry]
    linked_hours: Decimal
    total: Decimal
    # The day as the page writes it, formatted once for the row rather than once per cell: a
    # month's 240 cells each name their day (a label, a data attribute).
    label: str = ""
    number: str = ""

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


def _closed_reason(day: date, programme: Programme, today: date) -> str | None:
    if day < programme.starts_on:
        return _("Before the programme started")
    if day > programme.ends_on:
        return _("After the programme ended")
    if day > today:
        return _("Not yet")
    return None


def _stored_values(entries: list[TimeEntry]) -> dict[str, str]:
    """The grid's cells as stored: hours of entries without an event, one description a day."""
    values: dict[str, str] = {}
    descriptions: dict[date, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.event_id is not None:
            continue
        values[services.grid_field(entry.day, entry.activity)] = _plain(entry.hours)
        if entry.description and entry.description not in descriptions[entry.day]:
            descriptions[entry.day].append(entry.description)
    for day, texts in descriptions.items():
        values[services.grid_description_field(day)] = "; ".join(texts)
    return values


def _number(value: str) -> Decimal:
    try:
        return parse_hours(value) or Decimal(0)
    except ValueError:
        return Decimal(0)


def _grid_rows(
    *,
    days: list[date],
    programme: Programme,
    today: date,
    entries: list[TimeEntry],
    values: dict[str, str],
    errors: dict[str, list[str]],
) -> list[DayRow]:
    labels = dict(Activity.choices)
    linked: dict[date, list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        if entry.event_id is not None:
            linked[entry.day].append(entry)
    rows = []
    for day in days:
        cells = []
        for activity in Activity.values:
            name = services.grid_field(day, activity)
            cells.append(
                Cell(name, activity, labels[activity], values.get(name, ""), errors.get(name, []))
            )
        name = services.grid_description_field(day)
        description = Cell(name, "", _("Description"), values.get(name, ""), errors.get(name, []))
        linked_hours = sum((entry.hours for entry in linked[day]), Decimal(0))
        rows.append(
            DayRow(
                day=day,
                label=date_format(day, "l j F"),
                number=f"{day:%d}",
                closed=_closed_reason(day, programme, today),
                cells=cells,
                description=description,
                linked=linked[day],
                linked_hours=linked_hours,
                total=sum((_number(cell.value) for cell in cells), linked_hours),
            )
        )
    return rows


def _save_grid(
    *, user: User, programme: Programme, city: City, month: date, grid: GridInput
) -> tuple[int, dict[str, list[str]], list[str], set[str]]:
    """Save the grid through the service. Cells that could not be read keep their stored value
    while the service judges the rest (a dry run), so that every message shows at once; any
    error and nothing is saved. Returns (changes, cell errors, other errors, the cells refused
    because someone else changed them meanwhile)."""
    errors = {name: list(messages_) for name, messages_ in grid.errors.items()}
    general: list[str] = []
    stale: set[str] = set()
    changed = 0
    try:
        changed = services.month_grid_save(
            person=user,
            programme=programme,
            city=city,
            month=month,
            hours=grid.hours,
            descriptions=grid.descriptions,
            drawn_hours=grid.drawn_hours,
            drawn_descriptions=grid.drawn_descriptions,
            today=today_for(user),
            dry_run=bool(errors),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            stale = {
                name
                for name, items in error.error_dict.items()
                if any(item.code == "stale" for item in items)
            }
            if stale:
                general.append(services.grid_stale_message())
            for name, messages_ in error.message_dict.items():
                if name in grid.values:
                    errors.setdefault(name, []).extend(messages_)
                else:
                    general.extend(messages_)
        else:
            general.extend(error.messages)
    return changed, errors, general, stale


@login_required
@GET_AND_POST
def grid(request: HttpRequest, programme: str, year: int, month: int) -> HttpResponse:
    """One month of one programme: a row per day, a column per activity."""
    user = request.user
    cities = _officer_cities(user)
    if not cities:
        return _not_officer(request)
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    programme, city = _programme_and_city(request, cities, programme)
    start, end = (
        services.first_of_month(programme.starts_on),
        services.first_of_month(programme.ends_on),
    )
    if not start <= first <= end:
        raise Http404
    month_grid = _MonthGrid.load(user, programme, city, first)
    if request.method == "POST":
        editable = [day for day in month_grid.days if month_grid.closed(day) is None]
        posted = parse_grid(request.POST, editable)
        changed, errors, general, stale = _save_grid(
            user=user, programme=programme, city=city, month=first, grid=posted
        )
        if not errors and not general:
            if changed:
                messages.success(
                    request,
                    ngettext(
                        "The month is saved: %(count)d change.",
                        "The month is saved: %(count)d changes.",
                        changed,
                    )
                    % {"count": changed},
                )
            else:
                messages.info(request, _("Nothing to save: the month was already like this."))
            return redirect(grid_url(programme, first, city, cities))
        # Drawn again from what is stored now, with the cells this page changed as typed: a
        # second save then writes only those, never back the values of an older page.
        month_grid = _MonthGrid.load(user, programme, city, first)
        if not month_grid.locked:
            for name, value in posted.values.items():
                if posted.changed_by_page(name):
                    if name not in stale and posted.drawn is not None:
                        # Compared again with what this page showed, unless refused as stale
                        # (its newer value is shown beside it: saving again is deliberate).
                        month_grid.drawn[name] = posted.drawn.get(name, "")
                    month_grid.values[name] = value
        context = _grid_context(month_grid, cities, errors=errors, general=general)
        context["stale"] = bool(stale)
        status = 409 if stale else 400
        return render(request, "reporting/time/grid.html", context, status=status)
    context = _grid_context(month_grid, cities, errors={}, general=[])
    return render(request, "reporting/time/grid.html", context)


@dataclass
class _MonthGrid:
    """What the grid page shows of one month: the stored entries and the cells' values."""

    user: User
    programme: Programme
    city: City
    month: date
    today: date
    days: list[date]
    sheet: TimesheetMonth | None
    entries: list[TimeEntry]
    values: dict[str, str]
    # The cells as stored when the page is drawn, which the page sends back with its save.
    drawn: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, user: User, programme: Programme, city: City, month: date) -> "_MonthGrid":
        days = services.days_of_month(month)
        sheet = TimesheetMonth.objects.filter(
            person=user, programme=programme, city=city, month=month
        ).first()
        entries = list(
            TimeEntry.objects.filter(
                person=user, programme=programme, city=city, day__gte=days[0], day__lte=days[-1]
            )
            .select_related("event")
            .order_by("day", "activity", "pk")
        )
        return cls(
            user=user,
            programme=programme,
            city=city,
            month=month,
            today=today_for(user),
            days=days,
            sheet=sheet,
            entries=entries,
            values=_stored_values(entries),
            drawn=_stored_values(entries),
        )

    @property
    def locked(self) -> bool:
        return self.sheet is not None and self.sheet.is_locked

    def closed(self, day: date) -> str | None:
        return _closed_reason(day, self.programme, self.today)


def _grid_context(
    grid: _MonthGrid, cities: list[City], *, errors: dict[str, list[str]], general: list[str]
) -> dict:
    programme, city, first, today = grid.programme, grid.city, grid.month, grid.today
    start, end = (
        services.first_of_month(programme.starts_on),
        services.first_of_month(programme.ends_on),
    )
    rows = _grid_rows(
        days=grid.days,
        programme=programme,
        today=today,
        entries=grid.entries,
        values=grid.values,
        errors=errors,
    )
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    last_open = services.first_of_month(min(programme.ends_on, today))
    linked_by_activity: dict[str, Decimal] = defaultdict(Decimal)
    for entry in grid.entries:
        if entry.event_id is not None:
            linked_by_activity[entry.activity] += entry.hours
    activity_totals = [
        {
            "activity": activity,
            "linked": linked_by_activity[activity],
            "total": sum((_number(row.cells[i].value) for row in rows), Decimal(0))
            + linked_by_activity[activity],
        }
        for i, activity in enumerate(Activity.values)
    ]
    summary = [
        {"id": cell.id, "day": row.day, "label": cell.activity_label, "messages": cell.errors}
        for row in rows
        for cell in [*row.cells, row.description]
        if cell.errors
    ]
    return {
        "programme": programme,
        "city": city,
        "cities": cities,
        "month": first,
        "today": today,
        "sheet": grid.sheet,
        "locked": grid.locked,
        "rows": rows,
        "activities": Activity.choices,
        "activity_totals": activity_totals,
        "grand_total": sum((row.total for row in rows), Decimal(0)),
        "linked_total": sum((row.linked_hours for row in rows), Decimal(0)),
        "summary": summary,
        "general_errors": general,
        "previous_url": grid_url(programme, previous, city, cities) if previous >= start else "",
        "next_url": grid_url(programme, following, city, cities)
        if following <= min(end, last_open)
        else "",
        "my_time_url": _with_city(reverse("reporting:my_time"), city, cities),
        "entry_create_url": _entry_create_url(programme, city, cities),
        "max_hours_per_day": programme.max_hours_per_day,
        "drawn_field": DRAWN_FIELD,
        "drawn": drawn_json(grid.drawn),
    }


def _entry_create_url(programme: Programme, city: City, cities: list[City]) -> str:
    query = {"programme": programme.slug}
    if len(cities) > 1:
        query["city"] = city.pk
    return f"{reverse('reporting:entry_create')}?{urlencode(query)}"


# Single entries ---------------------------------------------------------------------------------


def _own_entry(request: HttpRequest, pk: int) -> TimeEntry:
    """One of the person's own entries (404 for anyone else's)."""
    return get_object_or_404(
        TimeEntry.objects.filter(person=request.user).select_related(
            "programme", "city", "event", "timesheet"
        ),
        pk=pk,
    )


def _entry_grid_url(request: HttpRequest, entry: TimeEntry) -> str:
    cities = _officer_cities(request.user)
    return grid_url(entry.programme, entry.day.replace(day=1), entry.city, cities or [entry.city])


def _date_param(raw: str) -> date | None:
    try:
        return parse_date(raw.strip())
    except ValueError:
        return None


@login_required
@GET_AND_POST
def entry_create(request: HttpRequest) -> HttpResponse:
    """Record one entry, e.g. the hours of a study visit."""
    user = request.user
    cities = _officer_cities(user)
    if not cities:
        return _not_officer(request)
    city = _city_param(request, cities) or cities[0]
    programmes = Programme.objects.filter(
        participations__city__in=[c.pk for c in cities]
    ).distinct()
    chosen = None
    if slug := request.GET.get("programme", "").strip():
        chosen = programmes.filter(slug=slug).first()
    events = Event.objects.filter(programme__in=[chosen] if chosen else programmes).select_related(
        "programme"
    )
    initial: dict = {"city": city.pk}
    if chosen:
        initial["programme"] = chosen
    if day := _date_param(request.GET.get("day", "")):
        initial["day"] = day
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cities=cities,
        programmes=programmes.order_by("-starts_on", "name"),
        events=events.order_by("programme__name", "starts_on", "title"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.time_entry_create(
                person=user,
                city=form.city_or(city),
                today=today_for(user),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect(_entry_grid_url(request, entry))
    context = {
        "form": form,
        "entry": None,
        "my_time_url": _with_city(reverse("reporting:my_time"), city, cities),
    }
    return render_form(request, "reporting/time/entry_form.html", context)


@login_required
@GET_AND_POST
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    initial = {
        "day": entry.day,
        "activity": entry.activity,
        "event": entry.event,
        "hours": _plain(entry.hours),
        "description": entry.description,
    }
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cities=[entry.city],
        programmes=None,
        events=entry.programme.events.select_related("programme").order_by("starts_on", "title"),
    )
    stale.track(form, entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_entry_update(
                entry,
                by=request.user,
                expected_version=stale.expected(form),
                today=today_for(request.user),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            entry.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, _("The entry is saved."))
            return redirect(_entry_grid_url(request, entry))
    context = {
        "form": form,
        "entry": entry,
        "grid_url": _entry_grid_url(request, entry),
        "locked": entry.timesheet.is_locked,
    }
    return render_form(request, "reporting/time/entry_form.html", context)


@login_required
@GET_AND_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    back = _entry_grid_url(request, entry)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.time_entry_delete(entry, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The entry is deleted."))
            return redirect(back)
    context = {
        "entry": entry,
        "grid_url": back,
        "errors": errors,
        "locked": entry.timesheet.is_locked,
    }
    status = 400 if errors else 200
    return render(request, "reporting/time/entry_delete.html", context, status=status)
