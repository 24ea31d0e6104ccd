"""The daily snapshots of the indicators, which draw the dashboards' trends."""

from __future__ import annotations

import time_machine
from django.utils import timezone

from metrics.dashboards.services import snapshots_record
from metrics.models import IndicatorSnapshot
from notifications.hooks import producers
from programs.indicators import INDICATORS
from tests.metrics.conftest import TODAY, at, known, running_program


def test_snapshots_are_recorded_once_a_day_for_tracked_programs(db, frozen):
    program, _pairs = known()
    draft = running_program(status="draft")
    assert "metrics.indicator_snapshots" in producers()
    assert snapshots_record() == len(INDICATORS)
    assert snapshots_record() == 0
    producers()["metrics.indicator_snapshots"](timezone.now())
    assert IndicatorSnapshot.objects.filter(program=program).count() == len(INDICATORS)
    assert not IndicatorSnapshot.objects.filter(program=draft).exists()
    formed = IndicatorSnapshot.objects.get(program=program, indicator="pairs_formed")
    assert (formed.day, formed.value) == (TODAY, 3)
    assert IndicatorSnapshot.objects.get(program=program, indicator="skill_growth").value is None
    with time_machine.travel(at(1, 10), tick=False):
        assert snapshots_record() == len(INDICATORS)
    assert IndicatorSnapshot.objects.filter(program=program).count() == 2 * len(INDICATORS)
