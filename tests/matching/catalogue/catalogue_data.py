"""Building a catalogue in tests: programs in matching, enrolments and mentors with answers."""

from __future__ import annotations

from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    kwargs.setdefault("status", "matching")
    return ProgramFactory(**kwargs)


def _enrol(program, person, role, **kwargs):
    return ApplicationFactory(
        program=program, person=person, role=role, status="approved", **kwargs
    )


def _question(program, criterion):
    return program.questions.get(role="mentor", criterion=criterion)


def _mentor(program, *, skills=(), availability=(), capacity=None, paused=False, **person):
    """An approved mentor; `skills` go into their "skills I can share" answer."""
    answers = {}
    if skills:
        answers[str(_question(program, "skills_offered").code)] = [s.pk for s in skills]
    if availability:
        answers[str(_question(program, "availability").code)] = list(availability)
    return _enrol(
        program,
        UserFactory(**person),
        "mentor",
        answers=answers,
        capacity=capacity,
        paused=paused,
    )


def _url(program, name="mentors/"):
    return f"/matching/programs/{program.slug}/{name}"


def _cards(response) -> list[str]:
    return [entry.person.email for entry in response.context["page"].object_list]
