"""Writes of the application questionnaire: the default questions per focus, HR's edits.

Every rule that keeps answers already given meaningful is checked here, under a lock on
the program.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Application, Program, Question, Role
from .selectors import language_code, question_answer_count, question_answers

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
    # The guide: find out what mentees want to learn and which qualities they look for in a
    # mentor. Those answers are "the wish", shown to the people who decide and work with them.
    mentee = [
        {
            "text": learn,
            "kind": K.SKILLS,
            "criterion": C.SKILLS_WANTED,
            "weight": W.HIGH,
            "shown_to_pair": True,
        },
        {
            "text": _("What would you like to have achieved by the end of the program?"),
            "kind": K.TEXT,
            "criterion": C.NONE,
            "shown_to_pair": True,
        },
        {
            "text": _("Which qualities do you look for in a mentor?"),
            "kind": K.TEXT,
            "criterion": C.NONE,
            "required": False,
            "shown_to_pair": True,
        },
        {
            "text": _("How much experience should your mentor have?"),
            "kind": K.SINGLE,
            "choices": [_("3 to 10 years"), _("More than 10 years"), _("No preference")],
            "criterion": C.EXPERIENCE,
            "weight": W.MEDIUM,
            "shown_to_pair": True,
        },
        {
            "text": _("Which communication style suits you best?"),
            "kind": K.SINGLE,
            "choices": _style_choices(),
            "criterion": C.COMMUNICATION_STYLE,
            "weight": W.MEDIUM,
            "shown_to_pair": True,
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
            5,
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


def _translation_of(spec: dict) -> dict:
    return {
        "text": spec["text"],
        "help_text": spec.get("help_text", ""),
        "choices": list(spec.get("choices", [])),
    }


# Joins the transaction of program_save or questions_restore_defaults, without a savepoint.
@transaction.atomic(savepoint=False)
def questions_add_defaults(
    *, program: Program, language: str | None = None, role: str | None = None
) -> list[Question]:
    """Give a program the default questionnaire of its focus (in HR's language).

    The questions are written in HR's language; their `translations` hold the same
    defaults in every other interface language, so each applicant reads them in theirs.
    With `role`, only that role's questions are added.
    """
    language = language_code(
        language or (program.created_by.language if program.created_by_id else None)
    )
    with translation.override(language):
        specs = default_questions(program.focus)
    # default_questions builds the same list, in the same order, whatever the language.
    others = {}
    for code, _name in settings.LANGUAGES:
        if code != language:
            with translation.override(code):
                others[code] = default_questions(program.focus)
    rows = [
        (spec, {code: _translation_of(localized[index]) for code, localized in others.items()})
        for index, spec in enumerate(specs)
    ]
    if role is not None:
        rows = [(spec, translations) for spec, translations in rows if spec["role"] == role]
    questions = [
        Question(
            program=program,
            role=spec["role"],
            text=spec["text"],
            help_text=spec.get("help_text", ""),
            kind=spec["kind"],
            choices=spec.get("choices", []),
            required=spec.get("required", True),
            criterion=spec["criterion"],
            weight=spec.get("weight", W.MEDIUM),
            shown_to_pair=spec.get("shown_to_pair", False),
            order=index,
            translations=translations,
        )
        for index, (spec, translations) in enumerate(rows)
    ]
    return Question.objects.bulk_create(questions)


# --- HR designs the questionnaire --------------------------------------------------

CHOICE_KINDS = frozenset({K.SINGLE, K.MULTIPLE})
MIN_CHOICES, MAX_CHOICES, MAX_CHOICE_LENGTH = 2, 20, 120
SKILLS_CRITERIA = frozenset({C.SKILLS_WANTED, C.SKILLS_OFFERED})
# Criteria the matching engine may use as a hard filter (weight "must have"): a pair that
# cannot meet, talk or be formed at all. Preferences (skills, experience, style) only score.
HARD_FILTER_CRITERIA = frozenset({C.CAPACITY, C.AVAILABILITY, C.AREA, C.LANGUAGE, C.LOCATION})
# Criteria that make sense for one role only; the others apply to both.
CRITERION_ROLE = {
    C.SKILLS_WANTED: Role.MENTEE,
    C.SKILLS_OFFERED: Role.MENTOR,
    C.CAPACITY: Role.MENTOR,
}
_POSITIVE_INTEGER = re.compile(r"[1-9][0-9]*")
MAX_MENTEES = 20  # the most a mentor's application may take (Application.capacity)


def criteria_for_role(role: str) -> list[tuple[str, str]]:
    """The (value, label) criteria a question asked to `role` may feed."""
    return [(value, label) for value, label in C.choices if CRITERION_ROLE.get(value, role) == role]


def _lock_program(program: Program) -> Program:
    # One questionnaire edit per program at a time, so two admins cannot both take the
    # same criterion, the same last position, or edit a question while it is deleted.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed: its questionnaire can no longer change."))
    return program


def choices_problems(kind: str, choices: list[str]) -> list[str]:
    """What is wrong with the choices of a question of `kind` (empty: nothing)."""
    if kind not in CHOICE_KINDS:
        return []
    if len(choices) < MIN_CHOICES:
        return [_("Give at least %(count)d choices, one per line.") % {"count": MIN_CHOICES}]
    problems = []
    if len(choices) > MAX_CHOICES:
        problems.append(_("Give at most %(count)d choices.") % {"count": MAX_CHOICES})
    if any(not choice for choice in choices):
        problems.append(_("Choices cannot be empty."))
    long = [choice for choice in choices if len(choice) > MAX_CHOICE_LENGTH]
    if long:
        problems.append(
            _("A choice can have at most %(max)d characters: “%(choice)s…” is longer.")
            % {"max": MAX_CHOICE_LENGTH, "choice": long[0][:40]}
        )
    seen: set[str] = set()
    for choice in choices:
        if choice.casefold() in seen:
            problems.append(_("“%(choice)s” appears twice.") % {"choice": choice})
        seen.add(choice.casefold())
    return problems


def _validate_matching(question: Question) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    criterion, kind = question.criterion, question.kind
    if criterion:
        if CRITERION_ROLE.get(criterion, question.role) != question.role:
            errors.setdefault("criterion", []).append(
                _("Only the application form for %(role)s can ask about “%(criterion)s”.")
                % {
                    "criterion": C(criterion).label,
                    "role": Role(CRITERION_ROLE[criterion]).label,
                }
            )
        if criterion in SKILLS_CRITERIA and kind != K.SKILLS:
            errors.setdefault("kind", []).append(
                _("Skills for matching must be answered with skills from the directory.")
            )
        elif kind == K.SKILLS and criterion not in SKILLS_CRITERIA:
            errors.setdefault("criterion", []).append(
                _("Answers from the skills directory can only feed the skills criteria.")
            )
        if kind == K.TEXT:
            errors.setdefault("criterion", []).append(
                _("Free-text answers cannot be compared, so they cannot feed matching.")
            )
        if criterion == C.CAPACITY and (
            kind != K.SINGLE
            or not all(
                _POSITIVE_INTEGER.fullmatch(choice) and int(choice) <= MAX_MENTEES
                for choice in question.choices
            )
        ):
            errors.setdefault("choices", []).append(
                _(
                    "How many mentees is a single choice between whole numbers from 1 to "
                    "20, one per line (for example 1, 2 and 3)."
                )
            )
        taken = (
            Question.objects.filter(
                program_id=question.program_id, role=question.role, criterion=criterion
            )
            .exclude(pk=question.pk)
            .first()
        )
        if taken is not None:
            errors.setdefault("criterion", []).append(
                _("The question “%(text)s” already feeds this criterion.") % {"text": taken.text}
            )
    if question.weight == W.MUST and criterion not in HARD_FILTER_CRITERIA:
        errors.setdefault("weight", []).append(
            _(
                "“Must have” is only for availability, area, language, location and how "
                "many mentees; choose high instead."
            )
        )
    return errors


def _validate_against_answers(question: Question, before: Question) -> dict[str, list[str]]:
    """Changes that would make answers already given meaningless are refused."""
    kind_changed = question.kind != before.kind
    removed = {choice for choice in before.choices if choice not in question.choices}
    if not kind_changed and not removed:
        return {}
    errors: dict[str, list[str]] = {}
    picked: set[str] = set()
    answered = 0
    for value in question_answers(before):
        answered += 1
        if removed:
            picked.update(removed.intersection(value if isinstance(value, list) else [value]))
    if kind_changed and answered:
        errors["kind"] = [
            ngettext(
                "%(count)d application already answered this question, so its type of "
                "answer cannot change. Add a new question instead.",
                "%(count)d applications already answered this question, so its type of "
                "answer cannot change. Add a new question instead.",
                answered,
            )
            % {"count": answered}
        ]
    if picked:
        errors["choices"] = [
            _(
                "Applicants already chose %(choices)s: keep these choices as they are "
                "(you can add new ones)."
            )
            % {"choices": ", ".join(f"“{choice}”" for choice in sorted(picked))}
        ]
    return errors


@transaction.atomic
def question_save(*, question: Question, by) -> Question:
    """Create or update one question of a program's application form.

    Once applications answered it, the question may be reworded, made optional or
    required, re-weighted and get new choices, but answers already given stay valid.
    """
    _lock_program(question.program)
    question.text = " ".join(question.text.split())
    question.help_text = " ".join(question.help_text.split())
    if question.kind in CHOICE_KINDS:
        question.choices = [" ".join(str(choice).split()) for choice in question.choices]
    else:
        question.choices = []
    question.criterion = question.criterion or C.NONE
    # Only a mentee's answers make up the wish shown to their mentor, manager and pair.
    question.shown_to_pair = question.shown_to_pair and question.role == Role.MENTEE
    errors: dict[str, list[str]] = {}
    if not question.text:
        errors["text"] = [_("Write the question.")]
    choice_problems = choices_problems(question.kind, question.choices)
    if choice_problems:
        errors["choices"] = choice_problems
    for field, messages in _validate_matching(question).items():
        errors.setdefault(field, []).extend(messages)
    if question.pk is not None:
        before = Question.objects.get(pk=question.pk)
        if before.program_id != question.program_id or before.role != question.role:
            raise ValidationError(_("A question cannot move to another program or role."))
        for field, messages in _validate_against_answers(question, before).items():
            errors.setdefault(field, []).extend(messages)
        # Translations are kept only while what HR wrote stays the same: once the text,
        # help text or choices change, the translations no longer say the same thing (and
        # translated choices pair with the base ones by position), so all of them are
        # dropped and everyone reads the question as HR wrote it.
        if (
            question.text != " ".join(before.text.split())
            or question.help_text != " ".join(before.help_text.split())
            or question.choices != [" ".join(str(c).split()) for c in before.choices]
        ):
            question.translations = {}
    if errors:
        raise ValidationError(errors)
    if question.pk is None:
        last = Question.objects.filter(
            program_id=question.program_id, role=question.role
        ).aggregate(last=Max("order"))["last"]
        question.order = 0 if last is None else last + 1
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question nobody has answered yet."""
    _lock_program(question.program)
    answered = question_answer_count(question)
    if answered:
        raise ValidationError(
            ngettext(
                "%(count)d application already answered this question, so it cannot be "
                "deleted. Make it optional or reword it instead.",
                "%(count)d applications already answered this question, so it cannot be "
                "deleted. Make it optional or reword it instead.",
                answered,
            )
            % {"count": answered}
        )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    """Swap a question with its neighbour above ("up") or below ("down") in its role's form."""
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction: {direction!r}")
    _lock_program(question.program)
    siblings = list(
        Question.objects.filter(program_id=question.program_id, role=question.role).order_by(
            "order", "pk"
        )
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber the whole role: orders copied or restored earlier may repeat or have gaps.
    changed = []
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            changed.append(sibling)
    Question.objects.bulk_update(changed, ["order"])
    question.order = next(s.order for s in siblings if s.pk == question.pk)
    return question


def questions_restore_problems(program: Program, role: str) -> list[str]:
    """Why the default questions of `role` cannot replace the current ones (empty: they can)."""
    if program.status == Program.Status.CLOSED:
        return [_("This program is closed: its questionnaire can no longer change.")]
    if Application.objects.filter(program=program, role=role).exists():
        return [
            _(
                "People have already applied as %(role)s, so their form cannot be replaced. "
                "Edit the questions one by one instead."
            )
            % {"role": Role(role).label}
        ]
    return []


@transaction.atomic
def questions_restore_defaults(*, program: Program, role: str, by) -> list[Question]:
    """Replace the questions of `role` with the defaults of the program's focus.

    The defaults are written in the language of the HR admin who restores them.
    """
    if role not in Role.values:
        raise ValueError(f"Unknown role: {role!r}")
    program = _lock_program(program)
    problems = questions_restore_problems(program, role)
    if problems:
        raise ValidationError(problems)
    program.questions.filter(role=role).delete()
    return questions_add_defaults(program=program, language=by.language, role=role)
