from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"navigation": navigation_for(request.user)}


def signup(request: HttpRequest) -> dict:
    return {"signup_open": settings.ACCOUNT_ALLOW_SIGNUP}
