"""The stored full-text search vector of good practices (PostgreSQL only).

Computing the vector of every practice on each search took seconds at 5,000 practices (see
bench/RESULTS.md); the vector is now stored, GIN-indexed and refreshed whenever a practice or
its city is saved. Bulk writes that bypass ``save()`` call ``refresh_search_vectors`` themselves.
"""

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import post_save

SEARCH_CONFIG = "simple"  # practices are written in many languages: words as typed
BODY_FIELDS = ("challenge", "actions", "results", "transferability")


def search_vector_expression():
    from django.contrib.postgres.search import SearchVector

    from cities.models import City

    text = TextField()
    city_name = Subquery(
        City.objects.filter(pk=OuterRef("city_id")).values("name")[:1], output_field=text
    )
    body_parts = []
    for name in BODY_FIELDS:
        body_parts += [Coalesce(name, Value(""), output_field=text), Value(" ")]
    body = Concat(*body_parts, Coalesce(city_name, Value(""), output_field=text), output_field=text)
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(body, weight="C", config=SEARCH_CONFIG)
    )


def refresh_search_vectors(practices: QuerySet) -> int:
    """Recompute the stored vectors of these practices in one UPDATE; nothing on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    return practices.update(search_vector=search_vector_expression())


# What a save must touch for the vector to change (a status change, say, does not).
SEARCHED_FIELDS = {"title", "summary", "city", "city_id", *BODY_FIELDS}


def _practice_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    refresh_search_vectors(sender.objects.filter(pk=instance.pk))


def _city_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    if not raw and not created:
        from .models import GoodPractice

        refresh_search_vectors(GoodPractice.objects.filter(city_id=instance.pk))


def connect() -> None:
    from cities.models import City

    from .models import GoodPractice

    post_save.connect(_practice_saved, sender=GoodPractice, dispatch_uid="practice_search_vector")
    post_save.connect(_city_saved, sender=City, dispatch_uid="city_practice_search_vectors")
