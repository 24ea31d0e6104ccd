"""Scores from real questionnaires: what people answered becomes a score with its reasons."""

from __future__ import annotations

from django.utils import translation

from matching.profiles import program_scores
from programs.models import Question
from tests.factories import ApplicationFactory, ProgramFactory, SkillFactory, UserFactory


def _answers(program, role, **by_criterion) -> dict:
    answers = {}
    for question in program.questions.filter(role=role):
        if question.criterion in by_criterion:
            value = by_criterion[question.criterion]
            if callable(value):
                value = value(question)
            answers[str(question.code)] = value
    return answers


def _apply(program, role, **by_criterion):
    return ApplicationFactory(
        program=program,
        role=role,
        status="approved",
        person=UserFactory(language="en"),
        answers=_answers(program, role, **by_criterion),
    )


def test_skills_wanted_and_offered_drive_the_score_and_the_reason(db):
    program = ProgramFactory(status="matching")
    python, sql, excel = SkillFactory(name="Python"), SkillFactory(name="SQL"), SkillFactory()
    mentee = _apply(program, "mentee", skills_wanted=[python.pk, sql.pk])
    strong = _apply(program, "mentor", skills_offered=[python.pk, sql.pk])
    partial = _apply(program, "mentor", skills_offered=[python.pk])
    none = _apply(program, "mentor", skills_offered=[excel.pk])

    scored = program_scores(program, [mentee], [strong, partial, none])

    assert scored.scores[0, 0] > scored.scores[0, 1] > scored.scores[0, 2]
    with translation.override("en"):
        reasons = [r["text"] for r in scored.explain(0, 1, audience="mentee")]
        assert "Offers 1 of the 2 skills you want: Python" in reasons
        best = [r["text"] for r in scored.explain(0, 0, audience="mentee")]
        assert "Offers all 2 skills you want: Python, SQL" in best
        hr_view = [r["text"] for r in scored.explain(0, 2)]
        assert "Offers none of the skills the mentee wants" in hr_view


def test_experience_is_compared_on_the_mentor_scale(db):
    program = ProgramFactory(status="matching")
    mentor_scale = program.questions.get(role="mentor", criterion="experience").choices
    mentee_choices = program.questions.get(role="mentee", criterion="experience").choices
    wants_senior = mentee_choices[1]  # "More than 10 years"
    assert wants_senior == mentor_scale[2]
    mentee = _apply(program, "mentee", experience=wants_senior)
    senior = _apply(program, "mentor", experience=mentor_scale[2])
    junior = _apply(program, "mentor", experience=mentor_scale[0])

    scored = program_scores(program, [mentee], [senior, junior])

    assert scored.scores[0, 0] > scored.scores[0, 1]
    with translation.override("en"):
        assert scored.explain(0, 0, audience="mentee")[0]["text"] == (
            "Has the experience you asked for"
        )
        assert scored.explain(0, 1)[0]["text"] == "Less experience than the mentee asked for"


def test_a_must_have_criterion_forbids_the_pairs_that_fail_it(db):
    program = ProgramFactory(status="matching")
    program.questions.filter(criterion="availability").update(weight=Question.Weight.MUST)
    choices = program.questions.get(role="mentee", criterion="availability").choices
    mentee = _apply(program, "mentee", availability=[choices[0]])
    available = _apply(program, "mentor", availability=[choices[0], choices[1]])
    never = _apply(program, "mentor", availability=[choices[2]])
    silent = _apply(program, "mentor")

    scored = program_scores(program, [mentee], [available, never, silent])

    assert scored.must_ok.tolist() == [[True, False, True]]


def test_the_mentee_s_area_preference_uses_the_program_areas(db, django_assert_max_num_queries):
    program = ProgramFactory(status="matching")
    area_choices = program.questions.get(role="mentee", criterion="area").choices
    mentee = _apply(program, "mentee", area=area_choices[0])  # my own area
    same = _apply(program, "mentor")
    same.person.department = mentee.person.department
    same.person.save()
    other = _apply(program, "mentor")

    with django_assert_max_num_queries(8):
        scored = program_scores(program, [mentee], [same, other])

    assert scored.scores[0, 0] > scored.scores[0, 1]
    with translation.override("en"):
        texts = [r["text"] for r in scored.explain(0, 0, audience="mentee")]
    assert "From your own area" in texts


def test_scoring_many_mentors_takes_a_fixed_number_of_queries(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program = ProgramFactory(status="matching")
    skill = SkillFactory()
    mentee = _apply(program, "mentee", skills_wanted=[skill.pk])
    mentors = [_apply(program, "mentor", skills_offered=[skill.pk]) for _ in range(25)]

    def queries(count: int) -> int:
        fresh = [type(m).objects.get(pk=m.pk) for m in mentors[:count]]
        with CaptureQueriesContext(connection) as captured:
            scored = program_scores(program, [mentee], fresh)
        assert scored.scores.shape == (1, count)
        return len(captured)

    assert queries(3) == queries(25) <= 10
