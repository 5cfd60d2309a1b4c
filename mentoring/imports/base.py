"""What the programme's imports share: the programme as target, and the row loop."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from cities.selectors import cities_called
from documents import imports

from ..models import Programme
from ..permissions import can_manage_programme
from ..selectors.programmes import programmes_for


class RowRefused(Exception):
    """A row whose cells were refused (the messages are on its result already)."""


class RowImport(imports.ImportKind):
    """An import whose rows are handled one by one by ``row``, which reads the cells, decides
    the outcome and (unless it is "unchanged") calls the services; ``examine`` does that in a
    transaction that is rolled back, ``apply`` for real."""

    # Model field -> the column (or columns) a service's ValidationError on it is shown on,
    # for a field of another name (documents.imports.RowResult.add_validation_error).
    fields: dict[str, str | tuple[str, ...]] = {}

    def row(self, result: imports.RowResult, *, user: User, target) -> str:
        raise NotImplementedError

    def examine(self, rows, *, user, target):
        results = []
        with imports.rolled_back():
            for index, values in enumerate(rows):
                result = self.result(index, values)
                self.required_missing(result)
                if result.outcome != imports.ERROR:
                    self._one(result, user=user, target=target)
                results.append(result)
        return results

    def apply(self, rows, *, user, target, source):
        for index, values in enumerate(rows):
            result = self.result(index, values)
            self._one(result, user=user, target=target)
            if result.outcome == imports.ERROR:
                raise ValidationError(
                    _("Row %(number)s: %(errors)s")
                    % {
                        "number": result.number,
                        "errors": " ".join(m for ms in result.errors.values() for m in ms),
                    }
                )

    def _one(self, result: imports.RowResult, *, user, target) -> None:
        try:
            with transaction.atomic():
                outcome = self.row(result, user=user, target=target)
        except RowRefused:
            result.outcome = imports.ERROR
        except ValidationError as error:
            result.add_validation_error(error, fields=self.fields)
        except IntegrityError:
            result.add_error("", _("This row conflicts with what is already there."))
        else:
            if result.outcome != imports.ERROR:
                result.outcome = outcome

    # Cells ------------------------------------------------------------------------------------

    @staticmethod
    def refuse_if_errors(result: imports.RowResult) -> None:
        if result.errors:
            raise RowRefused

    @staticmethod
    def city_in(cities, result: imports.RowResult, key: str) -> City | None:
        """The city a cell names among ``cities`` (None for an empty cell); an error on the
        cell when there is none or several."""
        text = result.values.get(key, "").strip()
        if not text:
            return None
        found = list(cities_called(cities, text)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            result.add_error(
                key,
                _("Several cities are called “%(name)s”; add the country: “%(name)s (FR)”.")
                % {"name": text},
            )
        else:
            result.add_error(
                key, _("No city called “%(name)s” takes part in this programme.") % {"name": text}
            )
        return None


class ProgrammeImport(RowImport):
    """Into a programme, named by its slug: 404 unless the person may see the programme,
    and only its coordinators may import."""

    def target(self, user, ident):
        programme = programmes_for(user).filter(slug=ident).first()
        if programme is None:
            raise Http404
        return programme

    def ident(self, target: Programme) -> str:
        return target.slug

    def allowed(self, user, target):
        if can_manage_programme(user, target):
            return True, ""
        return False, _("Only the programme's coordinators import into it.")

    def back_url(self, target: Programme) -> str:
        return target.get_absolute_url()
