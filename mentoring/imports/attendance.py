"""Attendance of a held event: a person by their e-mail address (or a guest by name), the city
or organisation they came for, and the days. A person already recorded with the same city and
days is unchanged; with others, their record is replaced (through the services)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cities.models import City
from documents import imports
from documents.imports import Column

from ..models import Attendance, Event, ExpertOrganisation
from ..permissions import attendance_city_ids, can_record_attendance, can_view_event
from ..services.events import attendance_delete, attendance_record
from .base import RowImport


class AttendanceImport(RowImport):
    key = "attendance"
    label = gettext_lazy("Attendance")
    description = gettext_lazy(
        "Each row is a person who took part in the event: someone with a Tandem account by "
        "their e-mail address, or a guest by name, for a city or an organisation."
    )
    columns = [
        Column(
            "email",
            gettext_lazy("E-mail address"),
            example="officer.gdansk@example.org",
            help=gettext_lazy("A person with a Tandem account; or fill in the guest's name."),
        ),
        Column("guest_name", gettext_lazy("Guest's name"), example=""),
        Column(
            "city",
            gettext_lazy("City"),
            example="Gdańsk",
            help=gettext_lazy("The city the person came for; or an organisation."),
        ),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            example="",
            help=gettext_lazy("An expert organisation or any other organisation's name."),
        ),
        Column(
            "days",
            gettext_lazy("Days attended"),
            required=True,
            example="2.5",
            help=gettext_lazy("In half-day steps, e.g. 1, 1.5 or 2."),
        ),
    ]
    fields = {"user": "email", "organisation_name": "organisation", "__all__": ""}

    def target(self, user, ident):
        if not ident.isdigit():
            raise Http404
        event = Event.objects.select_related("programme", "kind").filter(pk=int(ident)).first()
        if event is None or not can_view_event(user, event):
            raise Http404
        return event

    def ident(self, target: Event) -> str:
        return str(target.pk)

    def allowed(self, user, target: Event):
        if can_record_attendance(user, target):
            return True, ""
        return False, _("You cannot record attendance at this event.")

    def describe(self, target: Event) -> str:
        return target.title

    def row(self, result, *, user, target: Event) -> str:
        values = result.values
        person = None
        email = values.get("email", "").strip()
        if email:
            person = User.objects.filter(email__iexact=email).first()
            if person is None:
                result.add_error("email", _("Nobody in Tandem has this e-mail address."))
        elif not values.get("guest_name", "").strip():
            result.add_error("email", _("Give a person's e-mail address or a guest's name."))
        cities = City.objects.filter(participations__programme=target.programme_id)
        city = self.city_in(cities, result, "city")
        allowed_cities = attendance_city_ids(user, target)
        if city is not None and allowed_cities is not None and city.pk not in allowed_cities:
            result.add_error("city", _("You record attendance for your own city only."))
        organisation_text = values.get("organisation", "").strip()
        organisation = (
            ExpertOrganisation.objects.filter(name__iexact=organisation_text).first()
            if organisation_text
            else None
        )
        try:
            days = imports.parse_decimal(values["days"])
        except ValidationError as error:
            result.add_error("days", error.messages[0])
            days = None
        self.refuse_if_errors(result)
        guest_name = "" if person else values.get("guest_name", "").strip()
        existing = Attendance.objects.filter(
            event=target, **({"user": person} if person else {"guest_name": guest_name})
        ).first()
        record = {
            "city": city,
            "organisation": organisation,
            "organisation_name": "" if organisation or not organisation_text else organisation_text,
            "days": days,
        }
        if existing is not None:
            if all(getattr(existing, name) == value for name, value in record.items()):
                return imports.UNCHANGED
            attendance_delete(attendance=existing)
        attendance_record(event=target, user=person, guest_name=guest_name, by=user, **record)
        return imports.UPDATE if existing is not None else imports.CREATE

    def export(self, *, user, target: Event):
        attendances = (
            Attendance.objects.filter(event=target)
            .select_related("user", "city", "organisation")
            .order_by("pk")
        )
        return [
            {
                "email": a.user.email if a.user else "",
                "guest_name": a.guest_name,
                "city": a.city.name if a.city else "",
                "organisation": a.organisation.name if a.organisation else a.organisation_name,
                "days": imports.as_text(a.days),
            }
            for a in attendances
        ]
