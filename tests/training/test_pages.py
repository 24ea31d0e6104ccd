"""Every training page: access by role, and a constant number of queries per list page."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training.models import Workshop
from training.modules.services import module_complete
from training.requirements import services

from .conftest import enrol, make_module


def _hr_urls(o) -> list[str]:
    slug, module = o["program"].slug, o["module"].code
    return [
        reverse("training:library"),
        reverse("training:module_new"),
        reverse("training:module_edit", args=[module]),
        reverse("training:module_remove", args=[module]),
        reverse("training:module_copy", args=[module]),
        reverse("training:section_new", args=[module]),
        reverse("training:section_edit", args=[o["section"].code]),
        reverse("training:section_delete", args=[o["section"].code]),
        reverse("training:question_new", args=[module]),
        reverse("training:question_edit", args=[o["question"].code]),
        reverse("training:question_delete", args=[o["question"].code]),
        reverse("training:program_requirements", args=[slug]),
        reverse("training:requirement_edit", args=[slug, o["requirement"].code]),
        reverse("training:requirement_remove", args=[slug, o["requirement"].code]),
        reverse("training:program_progress", args=[slug]),
        reverse("training:program_progress_csv", args=[slug]),
        reverse("training:workshops", args=[slug]),
        reverse("training:workshop_new", args=[slug]),
        reverse("training:workshop_edit", args=[slug, o["workshop"].code]),
        reverse("training:workshop_cancel", args=[slug, o["workshop"].code]),
        reverse("training:workshop_attendance", args=[slug, o["workshop"].code]),
    ]


def test_hr_pages_send_strangers_to_sign_in_and_refuse_everyone_but_hr(
    hr_client, outsider, objects
):
    client = Client()
    for url in _hr_urls(objects):
        assert client.get(url).status_code == 302, url
        assert "/accounts/login/" in client.get(url)["Location"]
    for url in _hr_urls(objects):
        assert hr_client.get(url).status_code == 200, url
    client.force_login(outsider)
    for url in _hr_urls(objects):
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("training:library_install"),
        reverse("training:module_publish", args=[objects["module"].code]),
        reverse("training:section_move", args=[objects["section"].code, "up"]),
    ]
    for url in posts:
        assert client.post(url).status_code == 403


def _count(client, url, django_assert_max_num_queries, limit=40) -> int:
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_pages_keep_a_constant_number_of_queries(
    hr_client, hr_admin, program, django_assert_max_num_queries
):
    person = UserFactory()
    enrol(program, person, "mentee")
    client = Client()
    client.force_login(person)

    def grow(n):
        for i in range(n):
            module = make_module(title=f"Módulo {uuid.uuid4()}", questions=1)
            make_module(title=f"Module {i}", language="en", family=module.family)
            services.requirement_add(
                program=program, role="mentee", module=module, due_days=i, by=hr_admin
            )
            enrol(program, UserFactory(), "mentee")
            module_complete(module=make_module(title=f"Extra {i}"), person=person)
            Workshop.objects.create(
                program=program,
                title=f"Taller {i}",
                starts_at=timezone.now() + timedelta(days=i + 1),
                place="Sala",
            )

    pages = [
        (client, reverse("training:my_training")),
        (hr_client, reverse("training:library")),
        (hr_client, reverse("training:program_requirements", args=[program.slug])),
        (hr_client, reverse("training:program_progress", args=[program.slug])),
        (hr_client, reverse("training:workshops", args=[program.slug])),
    ]
    grow(1)
    few = [_count(c, url, django_assert_max_num_queries) for c, url in pages]
    grow(4)
    for (c, url), before in zip(pages, few, strict=True):
        assert _count(c, url, django_assert_max_num_queries) == before, url
