"""The ``timesheets`` import (documents.imports): a city's paper timesheets from before Tandem,
one row per person, day and activity. The rules are the services' (services.months_import):
this module reads the cells and says on which cell each refusal belongs."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of, today_for
from cities.models import City
from cities.selectors import city_team
from documents import imports
from mentoring.models import Programme

from . import permissions, selectors, services
from .models import Activity
from .services import HistoricalEntry

# The entry's fields -> the columns that hold them.
COLUMN_OF = {
    "person": "email",
    "programme": "programme",
    "day": "date",
    "activity": "activity",
    "hours": "hours",
    "description": "description",
}


def _activities_help() -> str:
    names = "; ".join(f"{value} ({label})" for value, label in Activity.choices)
    return gettext("One of the activities, by its code or its name: %(names)s.") % {"names": names}


class TimesheetImport(imports.ImportKind):
    key = "timesheets"
    label = _("Timesheets kept on paper")
    description = _(
        "Bring in the months your city's officers recorded on paper before Tandem, one row per "
        "person, day and activity. Each month arrives as signed by the person and waits for a "
        "supervisor's approval here, like any signed month; it counts in reports only once "
        "approved. Months that have not ended, and months Tandem already holds, are not "
        "imported."
    )
    columns = [
        imports.Column(
            "email",
            _("E-mail address"),
            required=True,
            example="olga.officer@example.org",
            help=_("The address the person signs in with; they must be an officer of the city."),
        ),
        imports.Column(
            "programme",
            _("Programme"),
            example="",
            help=_(
                "The programme's name or short name; leave empty when the city takes part in "
                "one programme only."
            ),
        ),
        imports.Column(
            "date",
            _("Date"),
            required=True,
            example="2017-03-06",
            help=_("The day worked, as year-month-day."),
        ),
        imports.Column(
            "activity",
            _("Activity"),
            required=True,
            example=Activity.ACTION_PLANNING.value,
            help=lazy(_activities_help, str)(),
        ),
        imports.Column(
            "hours",
            _("Hours"),
            required=True,
            example="3.5",
            help=_("The hours of that day on that activity, in half-hour steps, e.g. 3.5."),
        ),
        imports.Column(
            "description",
            _("Description"),
            example="Needs analysis with the job centre",
            help=_("What was done, in a few words (optional)."),
        ),
    ]

    # The contract --------------------------------------------------------------------------------

    def target(self, user: User, ident: str) -> City:
        """A city the person acts for as officer or supervisor; any other is not found."""
        ids = (
            scopes_of(user).city_ids(Role.OFFICER, Role.SUPERVISOR) if user.is_authenticated else ()
        )
        city = City.objects.filter(slug=ident, pk__in=ids).first()
        if city is None:
            raise Http404
        return city

    def ident(self, target: City) -> str:
        return target.slug

    def allowed(self, user: User, target: City) -> tuple[bool, str]:
        return permissions.can_import_months(user, target)

    def examine(self, rows, *, user, target) -> list[imports.RowResult]:
        results, lines = self._read(rows, target)
        if not lines:
            return results
        try:
            check = services.months_import(
                city=target,
                entries=[line for line, _result in lines],
                by=user,
                source="preview",
                dry_run=True,
                today=today_for(user),
            )
        except ValidationError as error:
            for _line, result in lines:
                result.add_validation_error(error)
            return results
        for line, result in lines:
            for name, messages in check.errors.get(line.row, {}).items():
                column = COLUMN_OF.get(name, "")
                for message in messages:
                    result.add_error(column if column in result.values else "", message)
            if not result.errors:
                result.outcome = check.outcomes[line.row]
        return results

    def apply(self, rows, *, user, target, source: str) -> None:
        results, lines = self._read(rows, target)
        problems = [message for r in results for ms in r.errors.values() for message in ms]
        if problems:
            raise ValidationError(problems)
        services.months_import(
            city=target,
            entries=[line for line, _result in lines],
            by=user,
            source=source,
            today=today_for(user),
        )

    # Optional ------------------------------------------------------------------------------------

    def export(self, *, user, target) -> list[dict[str, str]]:
        """The city's imported months as rows of this import: they import back unchanged."""
        return [
            {
                "email": entry.person.email,
                "programme": entry.programme.slug,
                "date": entry.day.isoformat(),
                "activity": entry.activity,
                "hours": format(entry.hours.normalize(), "f"),
                "description": entry.description,
            }
            for entry in selectors.imported_entries(target)
        ]

    def describe(self, target: City) -> str:
        return target.name

    # Reading the cells ---------------------------------------------------------------------------

    def _read(self, rows, city: City):
        """Each row's result, and the rows whose cells could be read as entries (with their
        results): people among the city's officers, programmes among the city's."""
        officers = {
            m.user.email.casefold(): m.user for m in city_team(city) if m.role == Role.OFFICER
        }
        programmes = list(Programme.objects.filter(participations__city=city).order_by("name"))
        by_name = {}
        for programme in programmes:
            by_name[programme.slug.casefold()] = programme
            by_name[programme.name.casefold()] = programme
        activities = {value.casefold(): value for value in Activity.values}
        for value, label in Activity.choices:
            activities.setdefault(str(label).casefold(), value)
        results: list[imports.RowResult] = []
        lines: list[tuple[HistoricalEntry, imports.RowResult]] = []
        for index, row in enumerate(rows):
            result = self.result(index, row)
            results.append(result)
            self.required_missing(result)
            cell = {key: (row.get(key) or "").strip() for key in COLUMN_OF.values()}

            person = officers.get(cell["email"].casefold())
            if cell["email"] and person is None:
                result.add_error(
                    "email",
                    gettext("No officer of %(city)s signs in with this e-mail address.")
                    % {"city": city},
                )
            programme = self._programme(result, cell["programme"], programmes, by_name, city)
            day = None
            if cell["date"]:
                try:
                    day = imports.parse_date(cell["date"])
                except ValidationError as error:
                    result.add_error("date", error.messages[0])
            activity = activities.get(cell["activity"].casefold())
            if cell["activity"] and activity is None:
                result.add_error("activity", _activities_help())
            hours = None
            if cell["hours"]:
                try:
                    hours = imports.parse_decimal(cell["hours"])
                except ValidationError as error:
                    result.add_error("hours", error.messages[0])
            if result.errors:
                continue
            line = HistoricalEntry(
                row=result.number,
                person=person,
                programme=programme,
                day=day,
                activity=activity,
                hours=hours,
                description=cell["description"],
            )
            lines.append((line, result))
        return results, lines

    def _programme(self, result, text, programmes, by_name, city) -> Programme | None:
        if text:
            programme = by_name.get(text.casefold())
            if programme is None:
                result.add_error(
                    "programme",
                    gettext("%(city)s takes part in no programme called “%(name)s”.")
                    % {"city": city, "name": text},
                )
            return programme
        if len(programmes) == 1:
            return programmes[0]
        result.add_error(
            "programme",
            gettext("%(city)s takes part in several programmes: name one (%(names)s).")
            % {"city": city, "names": ", ".join(p.slug for p in programmes)}
            if programmes
            else gettext("%(city)s takes part in no programme yet.") % {"city": city},
        )
        return None


def register() -> None:
    imports.register(TimesheetImport())
