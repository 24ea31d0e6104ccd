from __future__ import annotations

import pytest


def test_health_answers_json_with_database_and_broker_status(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_reports_a_broker_that_is_down_but_still_serves(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error"}


@pytest.mark.redis
def test_health_checks_a_live_redis_broker(client, db, settings):
    if not settings.REDIS_URL:
        pytest.skip("set REDIS_URL to check a live broker (CI does)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    assert client.get("/healthz").json()["broker"] == "ok"
