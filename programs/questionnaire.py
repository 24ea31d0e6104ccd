"""Application questionnaires: the default questions per focus, ready to use."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from .models import Program, Question, Role

C = Question.Criterion
W = Question.Weight
K = Question.Kind


def _style_choices() -> list[str]:
    return [
        _("Direct and to the point"),
        _("Reflective, with questions that make me think"),
        _("Practical, with examples and exercises"),
    ]


def _availability_choices() -> list[str]:
    return [_("Mornings"), _("Afternoons"), _("In person"), _("By video call")]


def default_questions(focus: str) -> list[dict]:
    """The default questions for a program focus, in the active language."""
    knowledge = focus == Program.Focus.KNOWLEDGE_TRANSFER
    learn = {
        Program.Focus.KNOWLEDGE_TRANSFER: _(
            "Which procedures or job knowledge do you need to learn?"
        ),
        Program.Focus.CAREER: _("What do you want to learn to grow in your career?"),
        Program.Focus.BUSINESS_ACUMEN: _(
            "Which areas of the business do you want to understand better?"
        ),
        Program.Focus.INTERPERSONAL: _("Which interpersonal skills do you want to develop?"),
    }[focus]
    share = (
        _("Which procedures or specific job knowledge can you pass on?")
        if knowledge
        else _("Which expertise can you share?")
    )
    mentee = [
        {"text": learn, "kind": K.SKILLS, "criterion": C.SKILLS_WANTED, "weight": W.HIGH},
        {
            "text": _("What would you like to have achieved by the end of the program?"),
            "kind": K.TEXT,
            "criterion": C.NONE,
        },
        {
            "text": _("How much experience should your mentor have?"),
            "kind": K.SINGLE,
            "choices": [_("3 to 10 years"), _("More than 10 years"), _("No preference")],
            "criterion": C.EXPERIENCE,
            "weight": W.MEDIUM,
        },
        {
            "text": _("Which communication style suits you best?"),
            "kind": K.SINGLE,
            "choices": _style_choices(),
            "criterion": C.COMMUNICATION_STYLE,
            "weight": W.MEDIUM,
        },
        {
            "text": _("When and how can you meet?"),
            "kind": K.MULTIPLE,
            "choices": _availability_choices(),
            "criterion": C.AVAILABILITY,
            "weight": W.MEDIUM,
        },
        {
            "text": _("Does your mentor's location matter to you?"),
            "kind": K.SINGLE,
            "choices": [_("Same city, to meet in person"), _("It does not matter")],
            "criterion": C.LOCATION,
            "weight": W.LOW,
        },
    ]
    if not knowledge:
        mentee.insert(
            4,
            {
                "text": _("Would you prefer a mentor from your own area or from another one?"),
                "kind": K.SINGLE,
                "choices": [_("My own area"), _("Another area"), _("No preference")],
                "criterion": C.AREA,
                "weight": W.LOW,
            },
        )
    mentor = [
        {"text": share, "kind": K.SKILLS, "criterion": C.SKILLS_OFFERED, "weight": W.HIGH},
        {
            "text": _("How many mentees can you take at the same time?"),
            "kind": K.SINGLE,
            "choices": ["1", "2", "3"],
            "criterion": C.CAPACITY,
            "weight": W.MUST,
        },
        {
            "text": _("How many years of experience do you have in your field?"),
            "kind": K.SINGLE,
            "choices": [_("Less than 3 years"), _("3 to 10 years"), _("More than 10 years")],
            "criterion": C.EXPERIENCE,
            "weight": W.MEDIUM,
        },
        {
            "text": _("How would you describe your communication style?"),
            "kind": K.SINGLE,
            "choices": _style_choices(),
            "criterion": C.COMMUNICATION_STYLE,
            "weight": W.MEDIUM,
        },
        {
            "text": _("When and how can you meet?"),
            "kind": K.MULTIPLE,
            "choices": _availability_choices(),
            "criterion": C.AVAILABILITY,
            "weight": W.MEDIUM,
        },
        {
            "text": _("Why do you want to be a mentor?"),
            "kind": K.TEXT,
            "criterion": C.NONE,
            "required": False,
        },
    ]
    return [{**q, "role": Role.MENTEE} for q in mentee] + [
        {**q, "role": Role.MENTOR} for q in mentor
    ]


def questions_add_defaults(*, program: Program, language: str | None = None) -> list[Question]:
    """Give a program the default questionnaire of its focus (in HR's language)."""
    language = language or (program.created_by.language if program.created_by_id else None)
    with translation.override(language or translation.get_language()):
        specs = default_questions(program.focus)
    questions = [
        Question(
            program=program,
            role=spec["role"],
            text=spec["text"],
            kind=spec["kind"],
            choices=spec.get("choices", []),
            required=spec.get("required", True),
            criterion=spec["criterion"],
            weight=spec.get("weight", W.MEDIUM),
            order=index,
        )
        for index, spec in enumerate(specs)
    ]
    return Question.objects.bulk_create(questions)
