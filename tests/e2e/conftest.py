"""Browser journeys: Playwright (sync API) driving the Debian Chromium against `live_server`.

Each test gets a fresh browser context that may only talk to the live server: every request
to a host other than localhost is blocked and fails the test, and so does any JavaScript
error or console error. A failing test leaves a screenshot in `test-results/`.

Accessibility: every page a journey opened (each person's browser, as that person) is opened
again when the test ends and checked by axe-core (installed from npm by `make test`, see
package.json) against WCAG 2.2 A/AA; a serious or critical violation fails the test.
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
# Short enough that a missing element fails fast, long enough for a busy CI machine.
TIMEOUT_MS = 5_000

HERE = Path(__file__).resolve().parent
AXE_JS = HERE.parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}

# Playwright's sync API keeps an asyncio loop running in the test thread, so Django's
# async-safety check would refuse every query the tests (and pytest-django) make.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    # A conftest's collection hook sees the whole session: only touch our own tests.
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt install chromium)"
    )
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if not CHROMIUM.exists():
            item.add_marker(skip)


@dataclass
class BrowserWatch:
    """What a page did that a test must not: outside requests and JavaScript errors."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    # Per browser context (one person): the pages they opened, in order, for the axe check.
    visited: dict[object, list[str]] = field(default_factory=dict)

    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or parts.hostname in LOCAL_HOSTS:
            if route.request.resource_type == "document":
                self.documents.add(url)
                if route.request.method == "GET" and parts.scheme in {"http", "https"}:
                    pages = self.visited.setdefault(route.request.frame.page.context, [])
                    if url not in pages:
                        pages.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def console(self, message) -> None:
        url = (message.location or {}).get("url")
        if message.type != "error" or url in self.blocked:  # a blocked request says it twice
            return
        if url in self.documents and message.text.startswith("Failed to load resource"):
            return  # a page's own 403/404 is what a test asserts, not a broken asset
        where = f" ({url}:{message.location.get('lineNumber')})" if url else ""
        self.errors.append(f"console error: {message.text}{where}")

    def page_error(self, error) -> None:
        self.errors.append(f"uncaught JavaScript error: {error}")

    def problems(self) -> list[str]:
        blocked = [f"request to a host other than localhost: {url}" for url in self.blocked]
        return blocked + self.errors


def axe_problems(context, urls: list[str]) -> list[str]:
    """Open each page again in this person's browser and list axe's serious violations."""
    if not AXE_JS.exists():
        return [f"axe-core is missing at {AXE_JS}: run `npm ci` (make test does)"]
    axe_source = AXE_JS.read_text(encoding="utf-8")
    found = []
    page = context.new_page()
    try:
        for url in urls:
            try:
                page.goto(url)
            except Error:
                continue  # a download or a page gone away: nothing to check
            if not page.url.startswith(("http://", "https://")):
                continue
            # Evaluated through the browser's debugging channel: the page's CSP does not apply.
            page.evaluate(axe_source)
            violations = page.evaluate(
                """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                    .then(r => r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))""",
                AXE_TAGS,
            )
            for v in violations:
                if v["impact"] in AXE_FAILING_IMPACTS:
                    where = urlsplit(page.url)
                    found.append(
                        f"axe {v['impact']} {v['id']} on {where.path}"
                        f"{'?' + where.query if where.query else ''}: {v['help']} "
                        f"({'; '.join(v['nodes'])})"
                    )
    finally:
        page.close()
    return found


def axe_in_both_languages(watch: BrowserWatch) -> list[str]:
    """The axe check of every visited page, in Spanish (as the journey ran) then in English.

    The test is over, so its people may switch language: everyone's profile and every
    browser's Accept-Language change to English for the second round.
    """
    from people.models import User

    problems: list[str] = []
    for language in ("es", "en"):
        if language == "en":
            User.objects.update(language="en")
        for context, urls in list(watch.visited.items()):
            with contextlib.suppress(Error):  # a context the test closed itself
                context.set_extra_http_headers({"Accept-Language": language})
                problems += [f"[{language}] {p}" for p in axe_problems(context, urls)]
    return problems


WATCH = pytest.StashKey[BrowserWatch]()
PAGE = pytest.StashKey[Page]()
FAILED_BY_WATCH = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


_warmed: set[str] = set()


@pytest.fixture(autouse=True)
def warm_live_server(live_server):
    """The server's first page (imports, templates, URL resolution) can take seconds on a busy
    machine; pay that once, outside the browser's short timeouts."""
    if live_server.url not in _warmed:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=120).read()
        _warmed.add(live_server.url)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 is slow by design and not what a journey checks; the live server shares settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_context_args() -> dict:
    """Override in a test module (or with `indirect` parametrize) to change the context."""
    return {"locale": "es-ES"}


@pytest.fixture
def page(request, browser, live_server, browser_context_args):
    from django.core.cache import cache

    # The database starts empty for every test; so does the cache, where allauth counts
    # failed sign-ins (rate limits) and the live server keeps anything else it caches.
    cache.clear()
    watch = BrowserWatch()
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("console", watch.console)
    page.on("pageerror", watch.page_error)
    request.node.stash[WATCH] = watch
    request.node.stash[PAGE] = page
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that passed still fails if its page left the machine or logged an error."""
    result = yield
    watch = item.stash.get(WATCH, None)
    if watch is not None:
        page = item.stash[PAGE]
        # A round trip to the page delivers the events still queued; if the page is closed
        # or navigating, what was queued has been delivered anyway.
        with contextlib.suppress(Error):
            page.evaluate("0")
        problems = watch.problems()
        if not problems:
            problems = axe_in_both_languages(watch)
        if problems:
            item.stash[FAILED_BY_WATCH] = True
            pytest.fail("The browser misbehaved:\n  " + "\n  ".join(problems), pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.stash.get(PAGE, None)
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        problems = item.stash[WATCH].problems()
        if problems and not item.stash.get(FAILED_BY_WATCH, False):
            report.sections.append(("browser", "\n".join(problems)))
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / (re.sub(r"[^\w.-]+", "_", item.nodeid) + ".png")
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as exc:  # noqa: BLE001 - a missing screenshot must not hide the failure
            report.sections.append(("screenshot", f"could not save: {exc}"))
        else:
            report.sections.append(("screenshot", str(path)))
            report.sections.append(("page", page.url))
    return report


@pytest.fixture
def open_browser(request, page, browser, live_server):
    """Open one more person's browser, watched like `page` (outside hosts, console errors)."""
    watch = request.node.stash[WATCH]
    contexts = []

    def open_one() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="es-ES")
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", watch.route)
        contexts.append(context)
        other = context.new_page()
        other.on("console", watch.console)
        other.on("pageerror", watch.page_error)
        return other

    yield open_one
    for context in contexts:
        context.close()
