"""HR designs each program's application form: questions per role, matching criteria, defaults."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programs import questionnaire
from programs.models import Question
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

K = Question.Kind
C = Question.Criterion
W = Question.Weight


def _question(program, role="mentee", **fields) -> Question:
    values = {"text": "¿Qué idiomas hablas?", "kind": K.TEXT, "criterion": C.NONE}
    values.update(fields)
    return Question(program=program, role=role, **values)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def _by_role(program, role) -> list[Question]:
    return list(program.questions.filter(role=role).order_by("order", "pk"))


@pytest.fixture
def program(db):
    return ProgramFactory(focus="career")


# --- services: what a question may be -------------------------------------------------


def test_a_new_question_goes_last_in_its_role_with_tidy_text(program, hr_admin):
    mentee_last = _by_role(program, "mentee")[-1]
    question = questionnaire.question_save(
        question=_question(program, text="  ¿Qué   idiomas hablas? ", help_text=" Todos "),
        by=hr_admin,
    )
    assert _by_role(program, "mentee")[-1] == question
    assert question.order == mentee_last.order + 1
    assert question.text == "¿Qué idiomas hablas?"
    assert question.help_text == "Todos"


def test_a_question_without_choices_in_its_kind_stores_no_choices(program, hr_admin):
    for kind in (K.TEXT, K.SCALE, K.SKILLS):
        question = questionnaire.question_save(
            question=_question(program, kind=kind, choices=["a", "b"]), by=hr_admin
        )
        assert question.choices == []


def test_choice_questions_keep_their_choices_tidied(program, hr_admin):
    question = questionnaire.question_save(
        question=_question(program, kind=K.MULTIPLE, choices=[" Español ", "Inglés  de negocios"]),
        by=hr_admin,
    )
    assert question.choices == ["Español", "Inglés de negocios"]


@pytest.mark.parametrize(
    "choices, message",
    [
        ([], "at least 2"),
        (["Sólo una"], "at least 2"),
        ([str(n) for n in range(21)], "at most 20"),
        (["Sí", "sí"], "appears twice"),
        (["Sí", ""], "cannot be empty"),
        (["Sí", "x" * 121], "at most 120 characters"),
    ],
)
@pytest.mark.parametrize("kind", [K.SINGLE, K.MULTIPLE])
def test_choice_questions_need_two_to_twenty_distinct_short_choices(
    program, hr_admin, kind, choices, message
):
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(
            question=_question(program, kind=kind, choices=choices), by=hr_admin
        )
    assert message in " ".join(_errors(exc_info)["choices"])


def test_twenty_choices_of_120_characters_are_fine(program, hr_admin):
    choices = [f"{n:03d}" + "x" * 117 for n in range(20)]
    question = questionnaire.question_save(
        question=_question(program, kind=K.SINGLE, choices=choices), by=hr_admin
    )
    assert len(question.choices) == 20


def test_a_criterion_feeds_matching_from_one_question_per_role(program, hr_admin):
    # The default mentee form already asks about availability.
    duplicate = _question(
        program, kind=K.MULTIPLE, choices=["Lunes", "Martes"], criterion=C.AVAILABILITY
    )
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=duplicate, by=hr_admin)
    assert "criterion" in _errors(exc_info)

    program.questions.filter(role="mentee", criterion=C.AVAILABILITY).delete()
    assert questionnaire.question_save(question=duplicate, by=hr_admin).pk

    other = ProgramFactory()
    other.questions.filter(criterion=C.LANGUAGE).delete()
    for prog in (program, other):
        questionnaire.question_save(
            question=_question(
                prog, kind=K.SINGLE, choices=["Español", "Inglés"], criterion=C.LANGUAGE
            ),
            by=hr_admin,
        )
    questionnaire.question_save(
        question=_question(
            program,
            role="mentor",
            kind=K.SINGLE,
            choices=["Español", "Inglés"],
            criterion=C.LANGUAGE,
        ),
        by=hr_admin,
    )
    # Questions that do not feed matching can be as many as HR likes.
    questionnaire.question_save(question=_question(program), by=hr_admin)
    questionnaire.question_save(question=_question(program), by=hr_admin)


def test_a_question_may_keep_its_own_criterion_when_edited(program, hr_admin):
    question = program.questions.get(role="mentee", criterion=C.AVAILABILITY)
    question.text = "¿Cuándo puedes reunirte?"
    questionnaire.question_save(question=question, by=hr_admin)
    question.refresh_from_db()
    assert question.text == "¿Cuándo puedes reunirte?"


@pytest.mark.parametrize(
    "role, criterion, kind",
    [
        ("mentor", C.SKILLS_WANTED, K.SKILLS),
        ("mentee", C.SKILLS_OFFERED, K.SKILLS),
        ("mentee", C.CAPACITY, K.SINGLE),
    ],
)
def test_a_criterion_must_fit_the_role_it_is_asked_to(program, hr_admin, role, criterion, kind):
    program.questions.filter(criterion=criterion).delete()
    question = _question(program, role=role, kind=kind, choices=["1", "2"], criterion=criterion)
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=question, by=hr_admin)
    assert "Only the application form for" in " ".join(_errors(exc_info)["criterion"])


def test_criteria_offered_to_each_role_leave_out_the_other_roles_criteria():
    mentee = {value for value, _label in questionnaire.criteria_for_role("mentee")}
    mentor = {value for value, _label in questionnaire.criteria_for_role("mentor")}
    assert C.SKILLS_WANTED in mentee and C.SKILLS_WANTED not in mentor
    assert {C.SKILLS_OFFERED, C.CAPACITY} <= mentor
    assert not {C.SKILLS_OFFERED, C.CAPACITY} & mentee
    assert {C.NONE, C.AVAILABILITY, C.LANGUAGE} <= mentee & mentor


def test_skills_criteria_need_answers_from_the_skills_directory(program, hr_admin):
    program.questions.filter(criterion=C.SKILLS_WANTED).delete()
    wrong_kind = _question(
        program, kind=K.MULTIPLE, choices=["Python", "Ventas"], criterion=C.SKILLS_WANTED
    )
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=wrong_kind, by=hr_admin)
    assert "kind" in _errors(exc_info)

    skills_for_something_else = _question(program, kind=K.SKILLS, criterion=C.EXPERIENCE)
    program.questions.filter(criterion=C.EXPERIENCE).delete()
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=skills_for_something_else, by=hr_admin)
    assert "criterion" in _errors(exc_info)

    right = _question(program, kind=K.SKILLS, criterion=C.SKILLS_WANTED, weight=W.HIGH)
    assert questionnaire.question_save(question=right, by=hr_admin).pk


def test_free_text_cannot_feed_matching(program, hr_admin):
    program.questions.filter(criterion=C.LANGUAGE).delete()
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(
            question=_question(program, kind=K.TEXT, criterion=C.LANGUAGE), by=hr_admin
        )
    assert "criterion" in _errors(exc_info)


@pytest.mark.parametrize(
    "kind, choices, valid",
    [
        (K.SINGLE, ["1", "2", "4"], True),
        (K.SINGLE, ["0", "1"], False),
        (K.SINGLE, ["1", "dos"], False),
        (K.SINGLE, ["1", "-2"], False),
        (K.SINGLE, ["1", "2.5"], False),
        (K.SINGLE, ["1", "21"], False),
        (K.SINGLE, ["1", "20"], True),
        (K.MULTIPLE, ["1", "2"], False),
        (K.SCALE, [], False),
    ],
)
def test_how_many_mentees_is_a_single_choice_of_positive_whole_numbers(
    program, hr_admin, kind, choices, valid
):
    capacity = program.questions.get(role="mentor", criterion=C.CAPACITY)
    capacity.kind, capacity.choices = kind, choices
    if valid:
        questionnaire.question_save(question=capacity, by=hr_admin)
        capacity.refresh_from_db()
        assert capacity.choices == choices
    else:
        with pytest.raises(ValidationError) as exc_info:
            questionnaire.question_save(question=capacity, by=hr_admin)
        assert "choices" in _errors(exc_info)


@pytest.mark.parametrize(
    "criterion, allowed",
    [
        (C.AVAILABILITY, True),
        (C.LANGUAGE, True),
        (C.LOCATION, True),
        (C.AREA, True),
        (C.EXPERIENCE, False),
        (C.COMMUNICATION_STYLE, False),
        (C.NONE, False),
    ],
)
def test_must_have_is_only_for_criteria_that_can_filter_pairs(
    program, hr_admin, criterion, allowed
):
    program.questions.filter(role="mentee", criterion=criterion).exclude(criterion="").delete()
    question = _question(
        program, kind=K.SINGLE, choices=["Sí", "No"], criterion=criterion, weight=W.MUST
    )
    if allowed:
        assert questionnaire.question_save(question=question, by=hr_admin).weight == W.MUST
    else:
        with pytest.raises(ValidationError) as exc_info:
            questionnaire.question_save(question=question, by=hr_admin)
        assert list(_errors(exc_info)) == ["weight"]


def test_a_question_cannot_move_to_another_role_or_program(program, hr_admin):
    question = program.questions.get(role="mentee", criterion=C.NONE)
    question.role = "mentor"
    with pytest.raises(ValidationError):
        questionnaire.question_save(question=question, by=hr_admin)
    question = program.questions.get(role="mentee", criterion=C.NONE)
    question.program = ProgramFactory()
    with pytest.raises(ValidationError):
        questionnaire.question_save(question=question, by=hr_admin)


def test_a_closed_program_keeps_its_questionnaire(hr_admin):
    program = ProgramFactory(status="closed")
    question = program.questions.filter(role="mentee").first()
    question.text = "Otra pregunta"
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        questionnaire.question_save(question=question, by=hr_admin)
    with pytest.raises(ValidationError):
        questionnaire.question_delete(question=question)
    with pytest.raises(ValidationError):
        questionnaire.question_move(question=question, direction="down")
    with pytest.raises(ValidationError):
        questionnaire.questions_restore_defaults(program=program, role="mentee", by=hr_admin)


# --- services: answers already given stay valid -------------------------------------


def _style(program) -> Question:
    return program.questions.get(role="mentee", criterion=C.COMMUNICATION_STYLE)


def _availability(program) -> Question:
    return program.questions.get(role="mentee", criterion=C.AVAILABILITY)


def test_answered_questions_can_be_reworded_reweighted_and_get_new_choices(program, hr_admin):
    style = _style(program)
    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    style.text = "¿Cómo prefieres que te hablen?"
    style.help_text = "Elige la que más se parezca."
    style.required = False
    style.weight = W.HIGH
    style.choices = [*style.choices, "Con humor"]
    questionnaire.question_save(question=style, by=hr_admin)
    style.refresh_from_db()
    assert style.choices[-1] == "Con humor"
    assert style.weight == W.HIGH and not style.required


def test_the_type_of_an_answered_question_cannot_change(program, hr_admin):
    style = _style(program)
    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    style.kind = K.MULTIPLE
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=style, by=hr_admin)
    assert "1 application already answered" in _errors(exc_info)["kind"][0]
    style.refresh_from_db()
    assert style.kind == K.SINGLE


def test_the_type_can_change_while_nobody_answered_the_question(program, hr_admin):
    style = _style(program)
    # Applications exist, but they left this question out or answered other forms.
    ApplicationFactory(program=program, answers={str(style.code): ""})
    ApplicationFactory(program=program, role="mentor", answers={str(style.code): "x"})
    ApplicationFactory(answers={str(style.code): style.choices[0]})
    style.kind = K.MULTIPLE
    questionnaire.question_save(question=style, by=hr_admin)
    style.refresh_from_db()
    assert style.kind == K.MULTIPLE


def test_a_choice_someone_picked_cannot_be_removed_or_renamed(program, hr_admin):
    availability = _availability(program)
    mornings, afternoons, in_person, video = availability.choices
    ApplicationFactory(program=program, answers={str(availability.code): [mornings, video]})
    ApplicationFactory(program=program, status="withdrawn", answers={})

    availability.choices = [afternoons, in_person, video]
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=availability, by=hr_admin)
    assert mornings in _errors(exc_info)["choices"][0]

    availability.choices = [mornings.upper(), afternoons, in_person, video]
    with pytest.raises(ValidationError):
        questionnaire.question_save(question=availability, by=hr_admin)

    # Nobody picked the afternoons: they can go.
    availability.choices = [mornings, in_person, video]
    questionnaire.question_save(question=availability, by=hr_admin)
    availability.refresh_from_db()
    assert afternoons not in availability.choices


def test_a_single_choice_someone_picked_cannot_be_removed(program, hr_admin):
    style = _style(program)
    picked, *others = style.choices
    ApplicationFactory(program=program, answers={str(style.code): picked})
    style.choices = others
    with pytest.raises(ValidationError) as exc_info:
        questionnaire.question_save(question=style, by=hr_admin)
    assert "choices" in _errors(exc_info)


def test_a_question_with_answers_cannot_be_deleted(program):
    style = _style(program)
    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be deleted"):
        questionnaire.question_delete(question=style)
    assert Question.objects.filter(pk=style.pk).exists()
    assert questionnaire.question_answer_count(style) == 1


def test_a_question_nobody_answered_is_deleted(program):
    availability = _availability(program)
    ApplicationFactory(program=program, answers={str(availability.code): []})
    questionnaire.question_delete(question=availability)
    assert not Question.objects.filter(pk=availability.pk).exists()


# --- services: order and defaults --------------------------------------------------------


def test_moving_swaps_a_question_with_its_neighbour_in_the_same_role(program):
    mentees = _by_role(program, "mentee")
    mentors = _by_role(program, "mentor")
    questionnaire.question_move(question=mentees[1], direction="up")
    assert _by_role(program, "mentee") == [mentees[1], mentees[0], *mentees[2:]]
    questionnaire.question_move(question=mentees[1], direction="down")
    assert _by_role(program, "mentee") == mentees
    assert _by_role(program, "mentor") == mentors


def test_moving_past_either_end_changes_nothing(program):
    mentees = _by_role(program, "mentee")
    questionnaire.question_move(question=mentees[0], direction="up")
    questionnaire.question_move(question=mentees[-1], direction="down")
    assert _by_role(program, "mentee") == mentees
    with pytest.raises(ValueError):
        questionnaire.question_move(question=mentees[0], direction="sideways")


def test_moving_repairs_repeated_positions(program):
    mentees = _by_role(program, "mentee")
    Question.objects.filter(pk__in=[q.pk for q in mentees]).update(order=3)
    questionnaire.question_move(question=mentees[2], direction="up")
    expected = [mentees[0], mentees[2], mentees[1], *mentees[3:]]
    assert _by_role(program, "mentee") == expected
    assert [q.order for q in _by_role(program, "mentee")] == list(range(len(mentees)))


def test_restoring_defaults_replaces_one_role_in_hr_language(program):
    english_hr = UserFactory(hr=True, language="en")
    mentors_before = _by_role(program, "mentor")
    program.questions.filter(role="mentee").delete()
    questionnaire.question_save(question=_question(program), by=english_hr)

    restored = questionnaire.questions_restore_defaults(
        program=program, role="mentee", by=english_hr
    )
    mentees = _by_role(program, "mentee")
    assert mentees == sorted(restored, key=lambda q: q.order)
    assert "¿Qué idiomas hablas?" not in [q.text for q in mentees]
    assert mentees[0].text == "What do you want to learn to grow in your career?"
    assert mentees[0].criterion == C.SKILLS_WANTED
    assert _by_role(program, "mentor") == mentors_before


def test_defaults_cannot_be_restored_once_someone_applied_for_that_role(program, hr_admin):
    ApplicationFactory(program=program, role="mentor")
    mentors = _by_role(program, "mentor")
    with translation.override("en"), pytest.raises(ValidationError, match="already applied"):
        questionnaire.questions_restore_defaults(program=program, role="mentor", by=hr_admin)
    assert _by_role(program, "mentor") == mentors
    # The mentee form has no applications yet.
    questionnaire.questions_restore_defaults(program=program, role="mentee", by=hr_admin)


# --- views -----------------------------------------------------------------------------


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
