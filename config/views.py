"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 25


def render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a page with a form: 400 when the submitted form has errors, so clients can tell."""
    form = context.get("form")
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed messages on their fields, the rest
    on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()
