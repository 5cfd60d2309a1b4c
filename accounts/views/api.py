"""The read API's endpoint about the reader: who the token (or session) acts for."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiToken, User


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "scopes", "created_at", "expires_at"]


class MeSerializer(serializers.ModelSerializer):
    token = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "token"]

    @extend_schema(exclude=False)
    def get_token(self, user) -> TokenSerializer(allow_null=True):  # type: ignore[valid-type]
        token = self.context["request"].auth
        return TokenSerializer(token).data if isinstance(token, ApiToken) else None


class MeView(APIView):
    """The person the request acts for, and the token it came with (null for a browser
    session)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)
