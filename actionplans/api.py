"""Action plans' read API (``config.api``): the plans a person sees, with their stage, progress
and indicators with their measurements, as the plans overview and the plan page show them.

Plans come from ``selectors.visible_plans`` (the rule of ``permissions.can_view``: the two
cities' officers and supervisors, the scheme's expert, the programme's coordinators); a plan
outside it is not found. The list filters as the overview does (``?stage=``, and ``?programme=``
among the person's programmes; without it the list spans them all) and keeps its order.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from config.api import DecimalText, form_parameters
from config.api.views import ReadOnlyViewSet
from mentoring.forms.programmes import ProgrammeChoiceForm
from mentoring.selectors import programme_context

from . import selectors
from .forms.overview import PlanStageForm
from .models import ActionPlan, Indicator, Measurement

# Serializers -------------------------------------------------------------------------------------


class PlanCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class PlanProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class PlanPairingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = PlanProgrammeSerializer(source="scheme.programme")
    scheme = serializers.IntegerField(source="scheme_id")
    scheme_code = serializers.CharField(source="scheme.code")
    mentor = PlanCitySerializer()
    implementing = PlanCitySerializer()


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField(
        allow_null=True,
        help_text=str(_("As the plan pages show it: null when there is nothing to measure.")),
    )
    actions = DecimalText(
        allow_null=True, help_text=str(_("Share of the actions done (0 to 1), null without any."))
    )
    indicators = DecimalText(
        allow_null=True,
        help_text=str(_("Mean share of the way to the targets (0 to 1), null without any.")),
    )


class MeasurementSerializer(serializers.ModelSerializer):
    value = DecimalText()

    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    baseline = DecimalText()
    target = DecimalText()
    latest = DecimalText(allow_null=True, help_text=str(_("The latest measured value.")))
    measurements = MeasurementSerializer(many=True, help_text=str(_("Oldest first.")))

    class Meta:
        model = Indicator
        fields = [
            "id",
            "position",
            "name",
            "kind",
            "unit",
            "baseline",
            "target",
            "latest",
            "measurements",
        ]


class EndorsementSerializer(serializers.Serializer):
    body = serializers.CharField(source="endorsed_by_body")
    date = serializers.DateField(source="endorsed_on", allow_null=True)
    reference = serializers.CharField(source="endorsement_reference")


class PlanSerializer(serializers.ModelSerializer):
    pairing = PlanPairingSerializer()
    progress = serializers.SerializerMethodField()
    endorsement = EndorsementSerializer(source="*")
    indicators = IndicatorSerializer(many=True)
    url = serializers.SerializerMethodField(help_text=str(_("The plan's page.")))

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "stage",
            "pairing",
            "progress",
            "endorsement",
            "indicators",
            "created_at",
            "updated_at",
            "url",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan) -> dict:
        progress = selectors.progress(plan)
        return ProgressSerializer(progress).data

    def get_url(self, plan) -> str:
        return self.context["request"].build_absolute_uri(plan.get_absolute_url())


# Views -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[*form_parameters(PlanStageForm), *form_parameters(ProgrammeChoiceForm)]
    )
)
class PlanViewSet(ReadOnlyViewSet):
    """The action plans the person sees, by programme, scheme and implementing city."""

    serializer_class = PlanSerializer
    filter_backends: list = []

    def get_queryset(self):
        measurements = Measurement.objects.order_by("measured_on", "pk")
        return selectors.with_progress_data(
            selectors.visible_plans(self.request.user).order_by(
                "pairing__scheme__programme__name",
                "pairing__scheme__code",
                "pairing__implementing__name",
                "pk",
            )
        ).prefetch_related(Prefetch("indicators__measurements", queryset=measurements))

    def filter_queryset(self, queryset):
        if self.action == "list":
            params = self.request.query_params
            stage = PlanStageForm(params)
            choice = ProgrammeChoiceForm(
                params, programmes=programme_context(self.request.user).programmes
            )
            if not (stage.is_valid() and choice.is_valid()):
                raise ValidationError({**stage.errors, **choice.errors})
            if stage.cleaned_data["stage"]:
                queryset = queryset.filter(stage=stage.cleaned_data["stage"])
            programme = choice.chosen()
            if programme is not None:
                queryset = queryset.filter(pairing__scheme__programme=programme)
        return super().filter_queryset(queryset)
