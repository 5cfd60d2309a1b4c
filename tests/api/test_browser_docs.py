"""In a real browser: the API documentation page (Swagger UI from drf-spectacular-sidecar) renders
every operation under the portal's strict Content-Security-Policy, and a person creates a token on
their tokens page, copies it from there and tries the API with it from the documentation page.

Swagger UI needs nothing the policy forbids: it is served from /static/, its start-up script
comes from the page's own address (``?script``), and the styles React sets go through the CSSOM,
which ``style-src 'self'`` allows. Redoc would not do: styled-components adds <style> elements.
"""

import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = "/api/v1/docs/"

# Every violation of the Content-Security-Policy the page meets, kept where the test reads it.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.cspViolations.push(
    event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile
  );
});
"""


def operation(page, method: str, path: str):  # noqa: F811
    """One operation's block, by what it shows: its method and path."""
    return (
        page.locator(".opblock")
        .filter(has=page.locator(".opblock-summary-method", has_text=method))
        .filter(has=page.locator(".opblock-summary-path", has_text=path))
        .first
    )


def test_the_documentation_renders_every_operation_without_breaking_the_policy(page):  # noqa: F811
    page.add_init_script(WATCH_CSP)
    response = page.goto(DOCS)
    assert "style-src 'self';" in response.headers["content-security-policy"] + ";"
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]

    operation(page, "GET", "/api/v1/pairings/").wait_for()
    for path in ("/api/v1/pairings/", "/api/v1/pairings/{id}/", "/api/v1/me/"):
        assert operation(page, "GET", path).is_visible()
    assert page.get_by_role("heading", name="pairings").is_visible()
    # The description's Markdown keeps the header's placeholder (no HTML tag swallowed).
    assert page.get_by_text("Authorization: Bearer <token>", exact=True).is_visible()
    assert page.evaluate("window.cspViolations") == []


def test_a_person_creates_a_token_and_tries_it_from_the_documentation(page):  # noqa: F811
    person = UserFactory(full_name="Ada Partner")
    page.add_init_script(WATCH_CSP)
    sign_in(page, person.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/account/api-tokens/")
    page.get_by_label("Name").fill("Partner system")
    page.get_by_label("Valid for").select_option(label="30 days")
    page.get_by_role("button", name="Create the token").click()
    page.get_by_role("heading", name="Your new token “Partner system”").wait_for()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("tdm_")
    prefix = secret.split("_")[1]

    # Shown once: the list (after a reload too) gives only how the token starts.
    page.reload()
    page.get_by_role("heading", name="Tokens", exact=True).wait_for()
    assert page.get_by_label("Token", exact=True).count() == 0
    assert secret not in page.content()
    assert page.get_by_role("cell", name=f"tdm_{prefix}").is_visible()

    # Signed out, the token alone reads the API from the documentation's "Try it out".
    page.context.clear_cookies()
    page.goto(DOCS)
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".modal-ux")  # Swagger UI's dialog has no role "dialog"
    # The dialog offers the token (bearer) and the browser session (cookie); fill the token.
    bearer = dialog.locator("form").filter(has=page.locator("#auth-bearer-value"))
    bearer.get_by_role("textbox").fill(secret)
    bearer.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close").first.click()
    me = operation(page, "GET", "/api/v1/me/")
    me.locator(".opblock-summary-control").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    body = me.locator(".responses-wrapper .live-responses-table .microlight").first
    body.wait_for()
    assert person.email in body.text_content()
    assert f'"prefix": "{prefix}"' in body.text_content()
    assert page.evaluate("window.cspViolations") == []
