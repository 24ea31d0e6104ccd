"""Required training pages: HR sees who is behind and downloads the progress."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgramFactory, UserFactory
from training.modules.services import module_complete
from training.requirements import services

from ..conftest import enrol, make_module


def test_hr_sees_who_is_behind_and_downloads_the_progress(hr_client, hr_admin):
    today = timezone.localdate()
    program = ProgramFactory(
        status="running",
        recruitment_opens=today - timedelta(days=60),
        recruitment_closes=today - timedelta(days=50),
        matching_deadline=today - timedelta(days=40),
        starts_on=today - timedelta(days=30),
    )
    module = make_module()
    services.requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    done = enrol(program, UserFactory(first_name="Ana"), "mentee").person
    late = enrol(program, UserFactory(first_name="Bruno"), "mentee").person
    module_complete(module=module, person=done)
    url = reverse("training:program_progress", args=[program.slug])
    rows = hr_client.get(url, {"behind": "on"}).context["page"].object_list
    assert [row.person for row in rows] == [late]
    export = hr_client.get(reverse("training:program_progress_csv", args=[program.slug]))
    body = export.content.decode("utf-8")
    assert body.startswith("\ufeff") and late.email in body and done.email in body
    assert export["Content-Disposition"].startswith("attachment;")
