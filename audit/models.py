"""Which programme or city each audit log entry belongs to, fixed when the entry is written.

The scope is stored beside django-auditlog's ``LogEntry`` so that an entry stays visible to the
right coordinators after its object (and the objects above it) have been deleted. The foreign
keys carry no database constraint and do nothing on delete: an audit trail outlives what it
describes.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditScope(models.Model):
    entry = models.ForeignKey(
        "auditlog.LogEntry",
        on_delete=models.CASCADE,
        related_name="audit_scopes",
        verbose_name=_("log entry"),
    )
    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
        help_text=_("For what belongs to a city (staff rates): every programme it takes part in."),
    )

    class Meta:
        verbose_name = _("audit scope")
        verbose_name_plural = _("audit scopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=False) | Q(city__isnull=False),
                name="auditscope_has_a_programme_or_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.programme_id or '-'} · {self.city_id or '-'}"
