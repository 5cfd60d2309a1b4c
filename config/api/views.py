"""The read API's base viewset, and its schema and documentation pages (``config.api``)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.permissions import AllowAny


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """The base of every list-and-detail endpoint: filtered by the view's FilterSet, then in a
    stable order (the ordering asked for, then by id)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = [*queryset.query.order_by] or [*queryset.model._meta.ordering]
        if "pk" not in ordering and "-pk" not in ordering and "id" not in ordering:
            ordering.append("pk")
        return queryset.order_by(*ordering)


# Schema and documentation ---------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, public: it describes the API and holds no data."""

    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored sidecar assets. Its page loads its start-up script from this
    same address (``?script``), and its template (``templates/api/swagger_ui.html``) carries no
    inline style, so that it runs under the portal's Content-Security-Policy unchanged."""

    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
