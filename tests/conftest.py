from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english_messages():
    """Messages raised outside a request read in English unless a test picks a language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hr_admin(db):
    return UserFactory(email="hr.admin@example.com", first_name="Helena", last_name="Ruiz", hr=True)


@pytest.fixture
def manager(db):
    return UserFactory(email="manager@example.com", first_name="Marta", last_name="Gil")


@pytest.fixture
def mentee(db, manager):
    return UserFactory(
        email="mentee@example.com", first_name="Pablo", last_name="Navarro", manager=manager
    )


@pytest.fixture
def mentor(db):
    return UserFactory(email="mentor@example.com", first_name="Elena", last_name="Ferrer")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.com", first_name="Oscar", last_name="Luna")


@pytest.fixture
def hr_client(client, hr_admin):
    client.force_login(hr_admin)
    return client


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In CI a skipped test is a defect: the run fails and says which tests skipped."""
    import os

    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") == "true" and skipped:
        terminalreporter.section("skipped tests are not allowed in CI", red=True)
        for report in skipped:
            terminalreporter.write_line(f"{report.nodeid}: {report.longrepr[-1]}")


def pytest_sessionfinish(session, exitstatus):
    import os

    if os.environ.get("CI") == "true":
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
            session.exitstatus = 1
