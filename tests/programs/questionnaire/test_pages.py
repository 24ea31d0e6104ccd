"""HR's questionnaire pages: access, adding, editing, moving, deleting and restoring questions."""

from __future__ import annotations

from django.utils import translation

from programs.models import Question
from tests.factories import ApplicationFactory, ProgramFactory

K = Question.Kind
C = Question.Criterion
W = Question.Weight


def _by_role(program, role) -> list[Question]:
    return list(program.questions.filter(role=role).order_by("order", "pk"))


def _style(program) -> Question:
    return program.questions.get(role="mentee", criterion=C.COMMUNICATION_STYLE)


def _availability(program) -> Question:
    return program.questions.get(role="mentee", criterion=C.AVAILABILITY)


def _urls(program, question) -> list[str]:
    base = f"/programs/manage/{program.slug}/questions"
    return [
        f"{base}/",
        f"{base}/new/mentee/",
        f"{base}/{question.code}/",
        f"{base}/{question.code}/delete/",
        f"{base}/restore/mentor/",
    ]


def test_questionnaire_pages_send_anonymous_to_sign_in_and_refuse_non_hr(client, mentee):
    program = ProgramFactory()
    question = program.questions.first()
    move = f"/programs/manage/{program.slug}/questions/{question.code}/move/up/"
    for url in _urls(program, question):
        assert client.get(url).url.startswith("/accounts/login/"), url
    assert client.post(move).url.startswith("/accounts/login/")
    client.force_login(mentee)
    for url in _urls(program, question):
        assert client.get(url).status_code == 403, url
    assert client.post(move).status_code == 403


def test_another_programs_question_unknown_roles_and_directions_are_not_found(hr_client):
    program = ProgramFactory()
    foreign = ProgramFactory().questions.first()
    base = f"/programs/manage/{program.slug}/questions"
    for url in [
        f"{base}/{foreign.code}/",
        f"{base}/{foreign.code}/delete/",
        f"{base}/new/manager/",
        f"{base}/restore/manager/",
        "/programs/manage/nope/questions/",
    ]:
        assert hr_client.get(url).status_code == 404, url
    assert hr_client.post(f"{base}/{foreign.code}/move/up/").status_code == 404
    own = program.questions.first()
    assert hr_client.post(f"{base}/{own.code}/move/left/").status_code == 404
    assert hr_client.get(f"{base}/{own.code}/move/up/").status_code == 405


def test_the_questionnaire_tab_lists_both_forms_with_their_badges(hr_client):
    program = ProgramFactory()
    overview = hr_client.get(f"/programs/manage/{program.slug}/")
    assert f"/programs/manage/{program.slug}/questions/" in overview.content.decode()

    response = hr_client.get(f"/programs/manage/{program.slug}/questions/")
    sections = response.context["sections"]
    assert [section["role"] for section in sections] == ["mentee", "mentor"]
    assert sections[0]["questions"] == _by_role(program, "mentee")
    page = response.content.decode()
    capacity = program.questions.get(criterion=C.CAPACITY)
    assert f'id="question-{capacity.code}"' in page
    with translation.override("es"):
        # The personas read Spanish.
        assert capacity.get_weight_display() in page
    assert "text-bg-danger" in page
    assert f"/questions/{capacity.code}/move/down/" in page


def test_hr_adds_a_question_with_one_choice_per_line(hr_client):
    program = ProgramFactory()
    program.questions.filter(role="mentor", criterion=C.LANGUAGE).delete()
    response = hr_client.post(
        f"/programs/manage/{program.slug}/questions/new/mentor/",
        {
            "text": "¿En qué idiomas puedes dar mentoría?",
            "help_text": "",
            "kind": K.MULTIPLE,
            "choices": "  Español \n\n Inglés\r\nFrancés   de  Quebec\n",
            "required": "on",
            "criterion": C.LANGUAGE,
            "weight": W.MUST,
        },
    )
    question = program.questions.get(criterion=C.LANGUAGE)
    assert response.status_code == 302
    assert response.url.endswith(f"/questions/#question-{question.code}")
    assert question.role == "mentor"
    assert question.choices == ["Español", "Inglés", "Francés de Quebec"]
    assert _by_role(program, "mentor")[-1] == question

    edit = hr_client.get(f"/programs/manage/{program.slug}/questions/{question.code}/")
    assert edit.context["form"].initial["choices"] == "Español\nInglés\nFrancés de Quebec"


def test_the_form_shows_each_problem_next_to_its_field(hr_client):
    program = ProgramFactory()
    before = program.questions.count()
    url = f"/programs/manage/{program.slug}/questions/new/mentee/"
    response = hr_client.post(
        url,
        {
            "text": "¿Cuándo puedes?",
            "kind": K.SINGLE,
            "choices": "Sólo una",
            "criterion": C.NONE,
            "weight": W.MEDIUM,
        },
    )
    assert response.status_code == 200
    assert "choices" in response.context["form"].errors

    duplicate = hr_client.post(
        url,
        {
            "text": "¿Cuándo puedes?",
            "kind": K.SINGLE,
            "choices": "Mañanas\nTardes",
            "criterion": C.AVAILABILITY,
            "weight": W.MUST,
        },
    )
    assert "criterion" in duplicate.context["form"].errors
    must = hr_client.post(
        url,
        {
            "text": "¿Cuánta experiencia?",
            "kind": K.SCALE,
            "criterion": C.NONE,
            "weight": W.MUST,
        },
    )
    assert "weight" in must.context["form"].errors
    mentor_only = hr_client.post(
        url, {"text": "¿Cuántos?", "kind": K.SINGLE, "choices": "1\n2", "criterion": C.CAPACITY}
    )
    assert "criterion" in mentor_only.context["form"].errors
    assert program.questions.count() == before


def test_hr_edits_a_question_but_cannot_change_the_type_of_answered_ones(hr_client):
    program = ProgramFactory()
    style = _style(program)
    url = f"/programs/manage/{program.slug}/questions/{style.code}/"
    data = {
        "text": "¿Qué estilo prefieres?",
        "kind": K.SINGLE,
        "choices": "\n".join([*style.choices, "Con humor"]),
        "required": "on",
        "criterion": C.COMMUNICATION_STYLE,
        "weight": W.LOW,
    }
    assert hr_client.post(url, data).status_code == 302
    style.refresh_from_db()
    assert style.text == "¿Qué estilo prefieres?"
    assert style.choices[-1] == "Con humor"
    assert style.weight == W.LOW

    ApplicationFactory(program=program, answers={str(style.code): "Con humor"})
    assert hr_client.get(url).context["answered"] == 1
    refused = hr_client.post(url, {**data, "kind": K.MULTIPLE})
    assert "kind" in refused.context["form"].errors
    removed = hr_client.post(url, {**data, "choices": "\n".join(style.choices[:-1])})
    assert "choices" in removed.context["form"].errors
    style.refresh_from_db()
    assert style.kind == K.SINGLE and style.choices[-1] == "Con humor"


def test_hr_moves_questions_up_and_down(hr_client):
    program = ProgramFactory()
    mentees = _by_role(program, "mentee")
    base = f"/programs/manage/{program.slug}/questions"
    response = hr_client.post(f"{base}/{mentees[2].code}/move/up/")
    assert response.url.endswith(f"#question-{mentees[2].code}")
    assert _by_role(program, "mentee")[1] == mentees[2]
    hr_client.post(f"{base}/{mentees[2].code}/move/down/")
    assert _by_role(program, "mentee") == mentees


def test_hr_deletes_a_question_after_confirmation_unless_it_was_answered(hr_client):
    program = ProgramFactory()
    style, availability = _style(program), _availability(program)
    base = f"/programs/manage/{program.slug}/questions"
    confirm = hr_client.get(f"{base}/{availability.code}/delete/")
    assert confirm.status_code == 200
    assert Question.objects.filter(pk=availability.pk).exists()
    assert hr_client.post(f"{base}/{availability.code}/delete/").status_code == 302
    assert not Question.objects.filter(pk=availability.pk).exists()

    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    page = hr_client.get(f"{base}/{style.code}/delete/")
    assert page.context["answered"] == 1
    assert 'class="btn btn-danger"' not in page.content.decode()
    refused = hr_client.post(f"{base}/{style.code}/delete/")
    assert refused.status_code == 200
    assert refused.context["problems"]
    assert Question.objects.filter(pk=style.pk).exists()


def test_hr_restores_the_default_questions_after_confirmation(hr_client, hr_admin):
    hr_admin.language = "en"
    hr_admin.save()
    program = ProgramFactory(focus="knowledge_transfer")
    program.questions.filter(role="mentor").delete()
    url = f"/programs/manage/{program.slug}/questions/restore/mentor/"
    assert hr_client.get(url).status_code == 200
    assert not program.questions.filter(role="mentor").exists()
    assert hr_client.post(url).status_code == 302
    assert (
        _by_role(program, "mentor")[0].text
        == "Which procedures or specific job knowledge can you pass on?"
    )

    ApplicationFactory(program=program, role="mentor")
    page = hr_client.get(url)
    assert page.context["problems"]
    before = _by_role(program, "mentor")
    hr_client.post(url)
    assert _by_role(program, "mentor") == before
    listing = hr_client.get(f"/programs/manage/{program.slug}/questions/")
    assert "/questions/restore/mentor/" not in listing.content.decode()
    assert "/questions/restore/mentee/" in listing.content.decode()


def test_closed_programs_show_the_questionnaire_read_only(hr_client):
    program = ProgramFactory(status="closed")
    question = program.questions.first()
    base = f"/programs/manage/{program.slug}/questions"
    page = hr_client.get(f"{base}/").content.decode()
    assert "/questions/new/" not in page
    assert f"{question.code}/move/" not in page
    assert hr_client.get(f"{base}/new/mentee/").url == f"{base}/"
    assert hr_client.post(f"{base}/{question.code}/", {"text": "x"}).url == f"{base}/"
    assert hr_client.post(f"{base}/{question.code}/delete/").url == f"{base}/"
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_questionnaire_page_keeps_its_queries_constant(
    hr_client, django_assert_max_num_queries
):
    program = ProgramFactory()
    url = f"/programs/manage/{program.slug}/questions/"
    with django_assert_max_num_queries(12) as few:
        hr_client.get(url)
    for role in ("mentee", "mentor"):
        for n in range(5):
            Question.objects.create(
                program=program, role=role, text=f"Pregunta {n}", kind=K.TEXT, order=20 + n
            )
    ApplicationFactory.create_batch(3, program=program)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = hr_client.get(url)
    assert len(response.context["sections"][1]["questions"]) == len(_by_role(program, "mentor"))
