"""A mentee's wish in tests: answers to the questions shown to the pair, and one kept for HR."""

from __future__ import annotations

from programs.models import Application, Question
from tests.factories import SkillFactory

ACHIEVE = "Lead my first customer negotiation on my own."
QUALITIES = "Patient, direct, and used to selling to large accounts."
MOTIVATION = "Private words for HR only."


def wish_answers(program) -> dict:
    """Answers of a mentee to the default questionnaire (as the application stores them)."""
    questions = {(q.kind, q.criterion, q.order): q for q in program.questions.filter(role="mentee")}
    skill = SkillFactory(name="Negotiation")
    answers: dict = {}
    texts = iter([ACHIEVE, QUALITIES])
    for (kind, criterion, _order), question in sorted(questions.items(), key=lambda i: i[0][2]):
        code = str(question.code)
        if criterion == Question.Criterion.SKILLS_WANTED:
            answers[code] = [skill.pk]
        elif kind == Question.Kind.TEXT:
            answers[code] = next(texts)
        elif criterion == Question.Criterion.EXPERIENCE:
            answers[code] = question.choices[1]  # "More than 10 years"
        elif criterion == Question.Criterion.AVAILABILITY:
            answers[code] = [question.choices[0]]  # "Mornings": for HR only
    return answers


def give_wish(program, mentee) -> None:
    Application.objects.filter(program=program, person=mentee, role="mentee").update(
        answers=wish_answers(program), motivation=MOTIVATION
    )


def assert_shows_wish(page: str, *, message: str | None = None) -> None:
    assert 'data-testid="wish"' in page
    for text in ("Negotiation", ACHIEVE, QUALITIES, "More than 10 years"):
        assert text in page, text
    assert "Which qualities do you look for in a mentor?" in page
    # What the mentee answered for HR alone stays with HR.
    assert "Mornings" not in page
    assert MOTIVATION not in page
    if message:
        assert message in page
