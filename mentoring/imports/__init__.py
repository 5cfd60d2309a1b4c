"""What a coordinator imports into a programme from a spreadsheet (documents.imports): its
cities, its people (as invitations), its events, and the attendance of an event. The rules are
the services' own: ``examine`` runs the same services as ``apply`` in a transaction that is
rolled back, so a preview refuses exactly what the forms refuse.

They live here rather than in cities or accounts because each is about a programme, which
mentoring owns (cities and accounts are below it and know no programme)."""

from documents import imports

from .attendance import AttendanceImport
from .cities import CityImport
from .events import EventImport
from .people import PeopleImport


def register() -> None:
    for kind in (CityImport(), PeopleImport(), EventImport(), AttendanceImport()):
        imports.register(kind)
