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
