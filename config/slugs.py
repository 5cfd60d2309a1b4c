"""Slugs from any script, and old slugs that keep working.

``slug_from`` is the one way a name becomes a slug or a file name, in any script: 서울 → seoul,
臺北 → taibei, Αθήνα → athina, Łódź → lodz (anyascii transliterates, Django's slugify then keeps
ASCII letters, digits and hyphens). ``unique_slug`` adds a suffix (-2, -3 ...) when the slug is
taken, by a current slug or by an old one that still leads somewhere. ``settle_slug`` is what a
service calls before saving a sluggable object: a slug typed in another script is
transliterated, an empty one is made from the name.

Old slugs keep working: a programme or city whose slug changes keeps its old ones, and any
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

from anyascii import anyascii
from django import forms
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def slug_from(text: str, *, max_length: int = 120) -> str:
    """The ASCII slug of ``text`` written in any script; empty when nothing is left of it."""
    return slugify(anyascii(text or ""))[:max_length].strip("-")


def slug_taken(
    model: type[models.Model], slug: str, *, field: str = "slug", exclude_pk=None
) -> bool:
    """Another object of ``model`` has ``slug``, now or as an old slug that still leads to it."""
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager
    if others.filter(**{field: slug}).exists():
        return True
    history = _history_of(model)
    return (
        history is not None and history.objects.filter(slug=slug).exclude(owner=exclude_pk).exists()
    )


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    field: str = "slug",
    max_length: int = 120,
    fallback: str = "item",
    exclude_pk=None,
) -> str:
    """``slug_from(text)`` (or ``fallback`` when nothing is left), with -2, -3 ... added while
    another object of ``model`` has it."""
    base = slug_from(text, max_length=max_length) or fallback
    slug, n = base, 1
    while slug_taken(model, slug, field=field, exclude_pk=exclude_pk):
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return slug


def settle_slug(obj: models.Model, *, source: str = "name", fallback: str = "item") -> str:
    """Before a service saves ``obj``: a slug typed in any script becomes its ASCII form, an
    empty one is made from ``source`` (unique, with a suffix when taken). Returns the slug."""
    max_length = obj._meta.get_field("slug").max_length or 120
    if obj.slug:
        obj.slug = slug_from(obj.slug, max_length=max_length) or obj.slug
    else:
        obj.slug = unique_slug(
            type(obj),
            getattr(obj, source),
            max_length=max_length,
            fallback=fallback,
            exclude_pk=obj.pk,
        )
    return obj.slug


def _history_of(model: type[models.Model]):
    try:
        return model._meta.get_field("old_slugs").related_model
    except Exception:  # noqa: BLE001 - a model without a history has no old slugs
        return None


class SlugMoved(Exception):
    """The address named an object by a slug it had before: in its path, or, with ``query``,
    as the value of that parameter of its query (``?programme=<old slug>``)."""

    def __init__(self, old: str, new: str, *, query: str = ""):
        super().__init__(f"{old} is now {new}")
        self.old, self.new, self.query = old, new, query


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


def raise_if_moved(queryset: QuerySet, *, slug: str, query: str = "", **lookup) -> None:
    """Raise SlugMoved when ``slug`` is an old slug of an object of the queryset (matching the
    rest of the lookup); return when it is not. ``query``: the query parameter that named it."""
    try:
        queryset.model._meta.get_field("old_slugs")
    except Exception:  # noqa: BLE001 - a model without a history has no old slugs
        return
    current = queryset.filter(old_slugs__slug=slug, **lookup).values_list("slug", flat=True).first()
    if current is not None:
        raise SlugMoved(slug, current, query=query)


class SlugFromNameForm:
    """For a model form with ``name`` and ``slug`` (mixed in before ``forms.ModelForm``): the
    slug may be typed in any script (it is transliterated and the result shown) or left empty
    (it is made from the name, unique, and filled in the form, so that a form shown again with
    another error already holds it). ``slug_note()`` says what became of the typed slug, for the
    view's message after saving."""

    fields: dict
    instance: models.Model
    data: dict
    cleaned_data: dict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        model_field = self.instance._meta.get_field("slug")
        self.fields["slug"] = forms.CharField(
            label=self.fields["slug"].label,
            max_length=model_field.max_length,
            required=False,
            help_text=_(
                "The name in the page's address. Left empty, it is made from the name; letters "
                "of any script become Latin ones (서울 → seoul, Αθήνα → athina)."
            ),
        )
        self._typed_slug: str | None = None
        # A tiny script fills the slug while the name is typed (static/js/slug-suggest.js).
        kind = self.instance._meta.model_name
        self.fields["slug"].widget.attrs.update(
            {
                "data-slug-suggest": reverse("portal:slug_suggestion", args=[kind]),
                "data-slug-name": self["name"].auto_id,  # type: ignore[index]
                "data-slug-exclude": str(self.instance.pk or ""),
            }
        )

    def clean_slug(self) -> str:
        typed = (self.cleaned_data.get("slug") or "").strip()
        self._typed_slug = typed
        model = type(self.instance)
        max_length = model._meta.get_field("slug").max_length or 120
        if not typed:
            name = self.cleaned_data.get("name") or ""
            if not slug_from(name):
                return ""  # the service falls back to a generic slug; name has its own error
            slug = unique_slug(model, name, max_length=max_length, exclude_pk=self.instance.pk)
            self.data = self.data.copy()
            self.data[self.add_prefix("slug")] = slug  # type: ignore[attr-defined]
            return slug
        slug = slug_from(typed, max_length=max_length)
        if not slug:
            raise forms.ValidationError(
                _("Use letters or digits: “%(typed)s” leaves nothing for an address."),
                params={"typed": typed},
                code="invalid",
            )
        others = (
            model._default_manager.exclude(pk=self.instance.pk)
            if self.instance.pk
            else model._default_manager
        )
        if others.filter(slug=slug).exists():
            free = unique_slug(model, slug, max_length=max_length, exclude_pk=self.instance.pk)
            raise forms.ValidationError(
                _("“%(slug)s” is already in use; “%(free)s” is free."),
                params={"slug": slug, "free": free},
                code="unique",
            )
        return slug

    def slug_note(self) -> str | None:
        """After saving: how the slug came to be, when it is not what was typed."""
        slug = self.instance.slug  # type: ignore[attr-defined]
        if self._typed_slug is None or self._typed_slug == slug:
            return None
        if not self._typed_slug:
            return _("Its address name “%(slug)s” was made from the name.") % {"slug": slug}
        return _("The address name “%(typed)s” became “%(slug)s”.") % {
            "typed": self._typed_slug,
            "slug": slug,
        }
