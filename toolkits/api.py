"""The toolkits' read API (``config.api``): good practices and toolkits with their editions.

Both are public, as the catalogue is (``PublicRead``): anonymous readers get what the catalogue
and the toolkits page show everyone (published practices, toolkits with an edition); a signed-in
person also what their own pages show them (their cities' practices as officers, the practices
of the schemes they review, the toolkits they manage before their first edition), through the
same selectors. The practices list filters with the catalogue's FilterSet (``PracticeFilter``),
whose choices are what published practices have, plus ``status``. PDFs are given as the
addresses of the existing downloads, never as bytes.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import MoneyField, PublicRead
from config.api.views import ReadOnlyViewSet
from mentoring.models import Commitment, Scheme

from . import selectors
from .filters import PracticeFilter
from .models import GoodPractice, PracticeStatus, TargetGroup, Toolkit, ToolkitEdition

# Serializers -------------------------------------------------------------------------------------


class PracticeCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code")


class ThemeProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class ThemeSerializer(serializers.ModelSerializer):
    """The thematic scheme a practice or toolkit belongs to, with its programme."""

    programme = ThemeProgrammeSerializer()

    class Meta:
        model = Scheme
        fields = ["id", "code", "theme", "programme"]


class CommitmentRefSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.name")

    class Meta:
        model = Commitment
        fields = ["id", "framework", "number", "title"]


class TargetGroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["id", "name"]


class DownloadSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="ISO 639-1 code of the PDF's language")
    url = serializers.URLField(help_text="The download's address (the portal's own).")


def _downloads(request, url_name: str, **kwargs) -> list[dict]:
    """A download in each language the portal makes PDFs in."""
    return [
        {
            "language": code,
            "url": request.build_absolute_uri(
                reverse(url_name, kwargs={**kwargs, "language": code})
            ),
        }
        for code, _name in settings.LANGUAGES
    ]


class PracticeSerializer(serializers.ModelSerializer):
    city = PracticeCitySerializer()
    theme = ThemeSerializer(source="scheme")
    budget = MoneyField()
    eu_contribution = MoneyField()
    partner_organisations = serializers.ListField(
        source="partner_list", child=serializers.CharField()
    )
    links = serializers.ListField(source="link_list", child=serializers.CharField())
    commitments = CommitmentRefSerializer(many=True)
    target_groups = TargetGroupRefSerializer(many=True)
    url = serializers.SerializerMethodField(help_text=str(_("The practice's page.")))
    pdfs = serializers.SerializerMethodField(
        help_text=str(_("The practice's PDF in each language (published practices only)."))
    )

    class Meta:
        model = GoodPractice
        fields = [
            "id",
            "slug",
            "title",
            "status",
            "city",
            "theme",
            "language",
            "summary",
            "challenge",
            "actions",
            "results",
            "resources",
            "transferability",
            "partner_organisations",
            "budget",
            "eu_contribution",
            "started_on",
            "ended_on",
            "commitments",
            "target_groups",
            "contact_name",
            "contact_email",
            "links",
            "published_at",
            "updated_at",
            "url",
            "pdfs",
        ]

    def get_url(self, practice) -> str:
        return self.context["request"].build_absolute_uri(practice.get_absolute_url())

    @extend_schema_field(DownloadSerializer(many=True))
    def get_pdfs(self, practice) -> list[dict]:
        if not practice.is_published:
            return []
        return _downloads(self.context["request"], "toolkits:practice_pdf", slug=practice.slug)


class EditionSerializer(serializers.ModelSerializer):
    language = serializers.CharField(
        source="content_language",
        help_text=str(_("The language the edition was written in (ISO 639-1).")),
    )
    pdfs = serializers.SerializerMethodField(
        help_text=str(_("The edition's PDF in each language the portal makes PDFs in."))
    )

    class Meta:
        model = ToolkitEdition
        fields = ["id", "number", "published_on", "language", "notes", "pdfs"]

    @extend_schema_field(DownloadSerializer(many=True))
    def get_pdfs(self, edition) -> list[dict]:
        return _downloads(
            self.context["request"],
            "toolkits:edition_pdf",
            slug=edition.toolkit.slug,
            number=edition.number,
        )


class ToolkitSerializer(serializers.ModelSerializer):
    theme = ThemeSerializer(source="scheme")
    editions = EditionSerializer(many=True, help_text=str(_("Newest first.")))
    url = serializers.SerializerMethodField(help_text=str(_("The toolkit's page.")))

    class Meta:
        model = Toolkit
        fields = ["id", "slug", "title", "language", "theme", "introduction", "editions", "url"]

    def get_url(self, toolkit) -> str:
        return self.context["request"].build_absolute_uri(toolkit.get_absolute_url())


# Views -------------------------------------------------------------------------------------------


class PracticeApiFilter(PracticeFilter):
    """The catalogue's filters, and the status (for those who also see unpublished ones)."""

    status = filters.ChoiceFilter(label=_("Status"), choices=PracticeStatus.choices)

    class Meta(PracticeFilter.Meta):
        fields = [*PracticeFilter.Meta.fields, "status"]


class PracticeViewSet(ReadOnlyViewSet):
    """Good practices: the published ones for everyone (as the catalogue); a signed-in person
    also sees those their pages show them (``selectors.practices_visible_to``). The catalogue's
    filters; ``q`` orders by relevance, otherwise by title."""

    permission_classes = [PublicRead]
    serializer_class = PracticeSerializer
    filterset_class = PracticeApiFilter

    def get_queryset(self):
        return selectors.practices_visible_to(self.request.user).prefetch_related(
            "target_groups", "commitments__framework"
        )


class ToolkitViewSet(ReadOnlyViewSet):
    """Toolkits by programme, theme and title, each with its editions (newest first) and the
    addresses of their PDFs: those with an edition for everyone, and those the person manages
    (``selectors.toolkit_list``, as the toolkits page)."""

    permission_classes = [PublicRead]
    serializer_class = ToolkitSerializer
    filter_backends: list = []

    def get_queryset(self):
        # The page's selector, with the editions read without their (large) frozen content:
        # only its language is given.
        editions = (
            ToolkitEdition.objects.defer("snapshot")
            .annotate(content_language=KT("snapshot__language"))
            .order_by("-number", "pk")
        )
        return (
            selectors.toolkit_list(self.request.user)
            .prefetch_related(None)
            .prefetch_related(Prefetch("editions", queryset=editions))
        )
