"""Old slugs keep working: a programme or city whose slug changes keeps its old ones, and any
address with an old slug answers 301 to the same address with the current one. Subscribed
calendar feeds, bookmarks and links in e-mails survive a rename.

- A sluggable model mixes in ``KeepsOldSlugs`` and has a history model (``OldSlug`` with a
  foreign key named ``owner``, ``related_name="old_slugs"``); its ``save`` records the slug it
  leaves, whoever saves it (a service, the admin).
- Views find objects by slug with ``config.views.get_visible_or_404``: an old slug raises
  ``SlugMoved``, which ``config.middleware.SlugRedirectMiddleware`` turns into the redirect.
- A current slug always wins: taking a slug that another object used to have takes it out of
  that object's history.
"""

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SlugMoved(Exception):
    """The address named an object by a slug it had before."""

    def __init__(self, old: str, new: str):
        super().__init__(f"{old} is now {new}")
        self.old, self.new = old, new


class OldSlug(models.Model):
    """A slug an object had before (the concrete model adds ``owner``)."""

    slug = models.SlugField(_("old slug"), max_length=120, unique=True)
    retired_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.slug


class KeepsOldSlugs(models.Model):
    """Records the slug an object leaves in its ``old_slugs`` history."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is None:
            with transaction.atomic():
                super().save(*args, **kwargs)
                self._old_slugs_model().objects.filter(slug=self.slug).delete()
            return
        stored = type(self).objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if stored is not None and stored != self.slug:
                history = self._old_slugs_model()
                history.objects.filter(slug=self.slug).delete()
                history.objects.update_or_create(slug=stored, defaults={"owner": self})

    @classmethod
    def _old_slugs_model(cls) -> type[OldSlug]:
        return cls._meta.get_field("old_slugs").related_model


def raise_if_moved(queryset: QuerySet, *, slug: str, **lookup) -> None:
    """Raise SlugMoved when ``slug`` is an old slug of an object of the queryset (matching the
    rest of the lookup); return when it is not."""
    try:
        queryset.model._meta.get_field("old_slugs")
    except Exception:  # noqa: BLE001 - a model without a history has no old slugs
        return
    current = queryset.filter(old_slugs__slug=slug, **lookup).values_list("slug", flat=True).first()
    if current is not None:
        raise SlugMoved(slug, current)
