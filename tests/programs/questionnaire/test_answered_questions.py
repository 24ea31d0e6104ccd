"""Answers already given stay valid; questions keep their order; the defaults come back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.models import Question
from programs.questionnaire import selectors, services
from tests.factories import ApplicationFactory, UserFactory

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
    services.question_save(question=style, by=hr_admin)
    style.refresh_from_db()
    assert style.choices[-1] == "Con humor"
    assert style.weight == W.HIGH and not style.required


def test_the_type_of_an_answered_question_cannot_change(program, hr_admin):
    style = _style(program)
    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    style.kind = K.MULTIPLE
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        services.question_save(question=style, by=hr_admin)
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
    services.question_save(question=style, by=hr_admin)
    style.refresh_from_db()
    assert style.kind == K.MULTIPLE


def test_a_choice_someone_picked_cannot_be_removed_or_renamed(program, hr_admin):
    availability = _availability(program)
    mornings, afternoons, in_person, video = availability.choices
    ApplicationFactory(program=program, answers={str(availability.code): [mornings, video]})
    ApplicationFactory(program=program, status="withdrawn", answers={})

    availability.choices = [afternoons, in_person, video]
    with pytest.raises(ValidationError) as exc_info:
        services.question_save(question=availability, by=hr_admin)
    assert mornings in _errors(exc_info)["choices"][0]

    availability.choices = [mornings.upper(), afternoons, in_person, video]
    with pytest.raises(ValidationError):
        services.question_save(question=availability, by=hr_admin)

    # Nobody picked the afternoons: they can go.
    availability.choices = [mornings, in_person, video]
    services.question_save(question=availability, by=hr_admin)
    availability.refresh_from_db()
    assert afternoons not in availability.choices


def test_a_single_choice_someone_picked_cannot_be_removed(program, hr_admin):
    style = _style(program)
    picked, *others = style.choices
    ApplicationFactory(program=program, answers={str(style.code): picked})
    style.choices = others
    with pytest.raises(ValidationError) as exc_info:
        services.question_save(question=style, by=hr_admin)
    assert "choices" in _errors(exc_info)


def test_a_question_with_answers_cannot_be_deleted(program):
    style = _style(program)
    ApplicationFactory(program=program, answers={str(style.code): style.choices[0]})
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be deleted"):
        services.question_delete(question=style)
    assert Question.objects.filter(pk=style.pk).exists()
    assert selectors.question_answer_count(style) == 1


def test_a_question_nobody_answered_is_deleted(program):
    availability = _availability(program)
    ApplicationFactory(program=program, answers={str(availability.code): []})
    services.question_delete(question=availability)
    assert not Question.objects.filter(pk=availability.pk).exists()


# --- services: order and defaults --------------------------------------------------------


def test_moving_swaps_a_question_with_its_neighbour_in_the_same_role(program):
    mentees = _by_role(program, "mentee")
    mentors = _by_role(program, "mentor")
    services.question_move(question=mentees[1], direction="up")
    assert _by_role(program, "mentee") == [mentees[1], mentees[0], *mentees[2:]]
    services.question_move(question=mentees[1], direction="down")
    assert _by_role(program, "mentee") == mentees
    assert _by_role(program, "mentor") == mentors


def test_moving_past_either_end_changes_nothing(program):
    mentees = _by_role(program, "mentee")
    services.question_move(question=mentees[0], direction="up")
    services.question_move(question=mentees[-1], direction="down")
    assert _by_role(program, "mentee") == mentees
    with pytest.raises(ValueError):
        services.question_move(question=mentees[0], direction="sideways")


def test_moving_repairs_repeated_positions(program):
    mentees = _by_role(program, "mentee")
    Question.objects.filter(pk__in=[q.pk for q in mentees]).update(order=3)
    services.question_move(question=mentees[2], direction="up")
    expected = [mentees[0], mentees[2], mentees[1], *mentees[3:]]
    assert _by_role(program, "mentee") == expected
    assert [q.order for q in _by_role(program, "mentee")] == list(range(len(mentees)))


def test_restoring_defaults_replaces_one_role_in_hr_language(program):
    english_hr = UserFactory(hr=True, language="en")
    mentors_before = _by_role(program, "mentor")
    program.questions.filter(role="mentee").delete()
    services.question_save(question=_question(program), by=english_hr)

    restored = services.questions_restore_defaults(program=program, role="mentee", by=english_hr)
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
        services.questions_restore_defaults(program=program, role="mentor", by=hr_admin)
    assert _by_role(program, "mentor") == mentors
    # The mentee form has no applications yet.
    services.questions_restore_defaults(program=program, role="mentee", by=hr_admin)
