"""Module pages: HR authors modules; participants read, answer and sign off; others 404."""

from __future__ import annotations

import re
import uuid

from django.urls import reverse

from tests.factories import ProgramFactory
from training.models import Attempt, Completion, Module, Question, Requirement, Section
from training.modules import selectors, services
from training.requirements.services import requirement_add

from ..conftest import enrol, make_module


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
    questions = selectors.check_questions(module)
    attempt = services.check_submit(
        module=module,
        person=mentee,
        answers={str(q.code): 0 for q in questions},
        fingerprint=selectors.check_fingerprint(questions),
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
    requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    client.force_login(mentee)
    url = reverse("training:module_complete", args=[module.code])
    client.post(url, {})
    assert not Completion.objects.exists()
    client.post(url, {"confirm": "on"})
    assert Completion.objects.get().signed_off_at is not None


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
