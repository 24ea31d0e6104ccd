"""Pages: HR authors and requires modules; participants read, answer and sign off; others 404."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgramFactory, UserFactory
from training import checks, services
from training.models import Attempt, Completion, Module, Question, Requirement, Section, Workshop

from .conftest import enrol, make_module


@pytest.fixture
def objects(hr_admin, program):
    module = make_module(questions=2)
    requirement = services.requirement_add(
        program=program, role="mentee", module=module, due_days=0, by=hr_admin
    )
    workshop = Workshop.objects.create(
        program=program,
        title="Taller",
        starts_at=timezone.now() + timedelta(days=3),
        place="Sala",
    )
    return {
        "module": module,
        "section": module.sections.get(),
        "question": module.questions.first(),
        "requirement": requirement,
        "workshop": workshop,
        "program": program,
    }


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


def test_participants_see_only_modules_for_their_programs_and_roles(client, objects, mentee):
    module = objects["module"]
    mentor_only = make_module(audience="mentor", title="Solo mentores")
    other_program = make_module(program=ProgramFactory(status="running"), title="Ajeno")
    urls = lambda m: [  # noqa: E731
        reverse("training:module", args=[m.code]),
        reverse("training:module_check", args=[m.code]),
    ]
    client.force_login(mentee)
    for target in (module, mentor_only, other_program):
        for url in urls(target):
            assert client.get(url).status_code == 404, url
    assert client.post(reverse("training:module_complete", args=[module.code])).status_code == 404

    enrol(objects["program"], mentee, "mentee")
    for url in urls(module):
        assert client.get(url).status_code == 200
    for target in (mentor_only, other_program):
        assert client.get(urls(target)[0]).status_code == 404


def test_someone_else_s_attempt_is_404(client, objects, mentee, outsider):
    enrol(objects["program"], mentee, "mentee")
    module = objects["module"]
    questions = checks.check_questions(module)
    attempt = checks.check_submit(
        module=module,
        person=mentee,
        answers={str(q.code): 0 for q in questions},
        fingerprint=checks.check_fingerprint(questions),
        nonce=uuid.uuid4(),
    )
    client.force_login(outsider)
    assert client.get(reverse("training:attempt", args=[attempt.code])).status_code == 404
    client.force_login(mentee)
    assert client.get(reverse("training:attempt", args=[attempt.code])).status_code == 200


def test_hr_writes_a_module_with_sections_and_a_check_publishes_it_and_requires_it(
    hr_client, program
):
    response = hr_client.post(
        reverse("training:module_new"),
        {
            "title": "  Reuniones   de seguimiento ",
            "summary": "Cómo revisar el plan de acción.",
            "language": "es",
            "audience": "both",
            "topic": "conversation_tools",
            "estimated_minutes": 10,
            "pass_mark": 50,
        },
    )
    module = Module.objects.get()
    assert response["Location"] == reverse("training:module_edit", args=[module.code])
    assert module.title == "Reuniones de seguimiento" and module.status == "draft"

    hr_client.post(reverse("training:module_publish", args=[module.code]))
    assert Module.objects.get().status == "draft"  # no sections yet

    hr_client.post(
        reverse("training:section_new", args=[module.code]),
        {"title": "Antes", "body": "Repasa los **pasos**.\n\n<script>alert(1)</script>"},
    )
    hr_client.post(
        reverse("training:question_new", args=[module.code]),
        {
            "text": "¿Qué repasas primero?",
            "choices_text": "Los pasos\nEl tiempo",
            "right_choice": 1,
        },
    )
    bad = hr_client.post(
        reverse("training:question_new", args=[module.code]),
        {"text": "¿Y?", "choices_text": "Solo una", "right_choice": 1},
    )
    assert bad.status_code == 200 and "choices_text" in bad.context["form"].errors
    out_of_range = hr_client.post(
        reverse("training:question_new", args=[module.code]),
        {"text": "¿Y?", "choices_text": "Una\nDos", "right_choice": 3},
    )
    assert "right_choice" in out_of_range.context["form"].errors
    assert Question.objects.get().choices == ["Los pasos", "El tiempo"]
    hr_client.post(reverse("training:module_publish", args=[module.code]))
    assert Module.objects.get().status == "published"

    page = hr_client.get(reverse("training:program_requirements", args=[program.slug]))
    assert module.pk in [
        int(value) for value, _ in page.context["form"].fields["module"].choices if value
    ]
    hr_client.post(
        reverse("training:program_requirements", args=[program.slug]),
        {"role": "mentee", "module": module.pk, "due_days": -3},
    )
    requirement = Requirement.objects.get()
    assert (requirement.role, requirement.due_days) == ("mentee", -3)
    hr_client.post(
        reverse("training:requirement_edit", args=[program.slug, requirement.code]),
        {"due_days": 5},
    )
    assert Requirement.objects.get().due_days == 5


def test_markdown_with_script_or_raw_html_is_shown_sanitised(client, objects, mentee):
    enrol(objects["program"], mentee, "mentee")
    Section.objects.filter(pk=objects["section"].pk).update(
        body='Hola **mundo** <script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[enlace](javascript:alert(1))"
    )
    client.force_login(mentee)
    html = client.get(reverse("training:module", args=[objects["module"].code])).content.decode()
    assert "<strong>mundo</strong>" in html
    assert "<script>alert" not in html and "<img" not in html
    assert "javascript:" not in html


def test_a_mentee_takes_the_check_fails_retries_and_passes(client, objects, mentee):
    enrol(objects["program"], mentee, "mentee")
    module = objects["module"]
    client.force_login(mentee)
    url = reverse("training:module_check", args=[module.code])
    form = client.get(url).context["form"]
    data = {"nonce": form.initial["nonce"], "fingerprint": form.initial["fingerprint"]}
    questions = list(module.questions.order_by("order"))
    wrong = {**data, **{f"q-{q.code}": 1 for q in questions}}
    response = client.post(url, wrong)
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("training:attempt", args=[attempt.code])
    assert not attempt.passed and not Completion.objects.exists()
    # The same form posted again (a double click) changes nothing.
    client.post(url, wrong)
    assert Attempt.objects.count() == 1

    form = client.get(url).context["form"]
    right = {"nonce": form.initial["nonce"], "fingerprint": form.initial["fingerprint"]}
    right.update({f"q-{q.code}": 0 for q in questions})
    client.post(url, right)
    assert Completion.objects.get(person=mentee).score == 100
    page = client.get(reverse("training:my_training")).content.decode()
    assert re.search(r'data-testid="item-status">\s*(Done|Hecho)', page)


def test_a_check_changed_while_answering_asks_to_answer_again(client, objects, mentee):
    enrol(objects["program"], mentee, "mentee")
    module = objects["module"]
    client.force_login(mentee)
    url = reverse("training:module_check", args=[module.code])
    form = client.get(url).context["form"]
    data = {"nonce": form.initial["nonce"], "fingerprint": form.initial["fingerprint"]}
    data.update({f"q-{q.code}": 0 for q in module.questions.all()})
    Question.objects.filter(pk=objects["question"].pk).update(text="Reescrita")
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert not Attempt.objects.exists()
    assert "Reescrita" in response.content.decode()


def test_a_mentee_signs_off_their_role_expectations(client, hr_admin, program, mentee):
    enrol(program, mentee, "mentee")
    module = make_module(topic="role_expectations", audience="mentee", title="Tu rol")
    services.requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    client.force_login(mentee)
    url = reverse("training:module_complete", args=[module.code])
    client.post(url, {})
    assert not Completion.objects.exists()
    client.post(url, {"confirm": "on"})
    assert Completion.objects.get().signed_off_at is not None


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
    checks.module_complete(module=module, person=done)
    url = reverse("training:program_progress", args=[program.slug])
    rows = hr_client.get(url, {"behind": "on"}).context["page"].object_list
    assert [row.person for row in rows] == [late]
    export = hr_client.get(reverse("training:program_progress_csv", args=[program.slug]))
    body = export.content.decode("utf-8")
    assert body.startswith("\ufeff") and late.email in body and done.email in body
    assert export["Content-Disposition"].startswith("attachment;")


def test_removing_a_required_module_in_the_browser_says_which_program(hr_client, objects):
    module = objects["module"]
    page = hr_client.get(reverse("training:module_remove", args=[module.code]))
    assert objects["program"].name in " ".join(page.context["problems"])
    hr_client.post(reverse("training:module_remove", args=[module.code]))
    assert Module.objects.get(pk=module.pk).status == "published"


def test_hr_copies_a_library_module_into_a_program_and_translates_it(hr_client, program):
    module = make_module()
    response = hr_client.post(
        reverse("training:module_copy", args=[module.code]), {"program": program.pk}
    )
    copy = Module.objects.get(program=program)
    assert response["Location"] == reverse("training:module_edit", args=[copy.code])
    hr_client.post(reverse("training:module_translate", args=[copy.code]), {"language": "en"})
    assert Module.objects.filter(program=program, language="en", family=copy.family).exists()


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
            checks.module_complete(module=make_module(title=f"Extra {i}"), person=person)
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
