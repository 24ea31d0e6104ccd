"""The Content-Security-Policy in a real browser: an injected inline script does not run.

That the application works under the policy is checked by every journey: the `page`
fixture fails a test on any console error, and Chromium reports each CSP violation as one
("Refused to execute inline script ..."). This test drives its own context so that the
violation it provokes on purpose is asserted here instead of failing the test.
"""

from __future__ import annotations

from tests.e2e.conftest import TIMEOUT_MS

INJECTED = (
    "<script>window.__injected = true;</script>"
    '<img src="/static/css/app.css?x" onerror="window.__handler = true">'
)


def test_the_policy_blocks_an_injected_inline_script_and_handler(browser, live_server, db):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    def inject(route):
        # The server's own response, headers included, with a script slipped into the page:
        # what a stored script in a help text would look like to the browser.
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/accounts/login/", inject)
    page.goto("/accounts/login/")
    page.wait_for_load_state("load")

    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    violations = [text for text in console if "Content Security Policy" in text]
    assert any("inline script" in text for text in violations), console
    # Our own scripts (Bootstrap, app.js) are from 'self' and still run.
    assert page.evaluate("typeof window.bootstrap") == "object"
    context.close()


def test_hr_reads_the_results_dashboard_with_its_charts_under_the_policy(page, db):
    """The charts' SVG <style> carries the page's nonce: no violation, so the watch stays
    quiet, and the chart is drawn with its styles."""
    from datetime import timedelta

    from django.utils import timezone

    from goals.models import Meeting
    from tests.e2e.test_goals import sign_in
    from tests.factories import UserFactory
    from tests.goals.conftest import a_meeting, active_pair, running_program

    hr = UserFactory(email="hr@example.com", hr=True)
    program = running_program()
    pair = active_pair(program, UserFactory(), UserFactory())
    meeting = a_meeting(pair)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, starts_at=timezone.now() - timedelta(days=2)
    )
    sign_in(page, hr.email)

    page.goto(f"/metrics/manage/{program.slug}/results/")

    svg = page.locator(".metrics-chart svg").first
    assert svg.get_attribute("focusable") == "false"
    # pygal's own stylesheet (inside the SVG) applied: its background rect is transparent.
    assert page.locator(".metrics-chart svg style[nonce]").count() > 0
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.metrics-chart svg .background')).fill"
    ) in ("transparent", "rgba(0, 0, 0, 0)")
