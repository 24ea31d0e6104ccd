"""What a question of a program's application form may be: text, choices, criteria, weight."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.models import Question
from programs.questionnaire import services
from tests.factories import ProgramFactory

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


def test_a_new_question_goes_last_in_its_role_with_tidy_text(program, hr_admin):
    mentee_last = _by_role(program, "mentee")[-1]
    question = services.question_save(
        question=_question(program, text="  ¿Qué   idiomas hablas? ", help_text=" Todos "),
        by=hr_admin,
    )
    assert _by_role(program, "mentee")[-1] == question
    assert question.order == mentee_last.order + 1
    assert question.text == "¿Qué idiomas hablas?"
    assert question.help_text == "Todos"


def test_a_question_without_choices_in_its_kind_stores_no_choices(program, hr_admin):
    for kind in (K.TEXT, K.SCALE, K.SKILLS):
        question = services.question_save(
            question=_question(program, kind=kind, choices=["a", "b"]), by=hr_admin
        )
        assert question.choices == []


def test_choice_questions_keep_their_choices_tidied(program, hr_admin):
    question = services.question_save(
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
        services.question_save(question=_question(program, kind=kind, choices=choices), by=hr_admin)
    assert message in " ".join(_errors(exc_info)["choices"])


def test_twenty_choices_of_120_characters_are_fine(program, hr_admin):
    choices = [f"{n:03d}" + "x" * 117 for n in range(20)]
    question = services.question_save(
        question=_question(program, kind=K.SINGLE, choices=choices), by=hr_admin
    )
    assert len(question.choices) == 20


def test_a_criterion_feeds_matching_from_one_question_per_role(program, hr_admin):
    # The default mentee form already asks about availability.
    duplicate = _question(
        program, kind=K.MULTIPLE, choices=["Lunes", "Martes"], criterion=C.AVAILABILITY
    )
    with pytest.raises(ValidationError) as exc_info:
        services.question_save(question=duplicate, by=hr_admin)
    assert "criterion" in _errors(exc_info)

    program.questions.filter(role="mentee", criterion=C.AVAILABILITY).delete()
    assert services.question_save(question=duplicate, by=hr_admin).pk

    other = ProgramFactory()
    other.questions.filter(criterion=C.LANGUAGE).delete()
    for prog in (program, other):
        services.question_save(
            question=_question(
                prog, kind=K.SINGLE, choices=["Español", "Inglés"], criterion=C.LANGUAGE
            ),
            by=hr_admin,
        )
    services.question_save(
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
    services.question_save(question=_question(program), by=hr_admin)
    services.question_save(question=_question(program), by=hr_admin)


def test_a_question_may_keep_its_own_criterion_when_edited(program, hr_admin):
    question = program.questions.get(role="mentee", criterion=C.AVAILABILITY)
    question.text = "¿Cuándo puedes reunirte?"
    services.question_save(question=question, by=hr_admin)
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
        services.question_save(question=question, by=hr_admin)
    assert "Only the application form for" in " ".join(_errors(exc_info)["criterion"])


def test_criteria_offered_to_each_role_leave_out_the_other_roles_criteria():
    mentee = {value for value, _label in services.criteria_for_role("mentee")}
    mentor = {value for value, _label in services.criteria_for_role("mentor")}
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
        services.question_save(question=wrong_kind, by=hr_admin)
    assert "kind" in _errors(exc_info)

    skills_for_something_else = _question(program, kind=K.SKILLS, criterion=C.EXPERIENCE)
    program.questions.filter(criterion=C.EXPERIENCE).delete()
    with pytest.raises(ValidationError) as exc_info:
        services.question_save(question=skills_for_something_else, by=hr_admin)
    assert "criterion" in _errors(exc_info)

    right = _question(program, kind=K.SKILLS, criterion=C.SKILLS_WANTED, weight=W.HIGH)
    assert services.question_save(question=right, by=hr_admin).pk


def test_free_text_cannot_feed_matching(program, hr_admin):
    program.questions.filter(criterion=C.LANGUAGE).delete()
    with pytest.raises(ValidationError) as exc_info:
        services.question_save(
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
        services.question_save(question=capacity, by=hr_admin)
        capacity.refresh_from_db()
        assert capacity.choices == choices
    else:
        with pytest.raises(ValidationError) as exc_info:
            services.question_save(question=capacity, by=hr_admin)
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
        assert services.question_save(question=question, by=hr_admin).weight == W.MUST
    else:
        with pytest.raises(ValidationError) as exc_info:
            services.question_save(question=question, by=hr_admin)
        assert list(_errors(exc_info)) == ["weight"]


def test_a_question_cannot_move_to_another_role_or_program(program, hr_admin):
    question = program.questions.filter(role="mentee", criterion=C.NONE).first()
    question.role = "mentor"
    with pytest.raises(ValidationError):
        services.question_save(question=question, by=hr_admin)
    question = program.questions.filter(role="mentee", criterion=C.NONE).first()
    question.program = ProgramFactory()
    with pytest.raises(ValidationError):
        services.question_save(question=question, by=hr_admin)


def test_a_closed_program_keeps_its_questionnaire(hr_admin):
    program = ProgramFactory(status="closed")
    question = program.questions.filter(role="mentee").first()
    question.text = "Otra pregunta"
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        services.question_save(question=question, by=hr_admin)
    with pytest.raises(ValidationError):
        services.question_delete(question=question)
    with pytest.raises(ValidationError):
        services.question_move(question=question, direction="down")
    with pytest.raises(ValidationError):
        services.questions_restore_defaults(program=program, role="mentee", by=hr_admin)
