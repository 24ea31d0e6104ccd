"""From applications (answers + directory data) to match scores with their reasons.

This is the Django side of `matching/scoring.py`: it reads what people answered and what the
directory says about them, builds the plain profiles that scoring expects, and words the
reasons in the reader's language. A fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.models import Department, Language, Skill
from programs.models import Application, Program, Question, Role

from . import scoring

C = Question.Criterion


def _chains(parents: dict[int, int | None]) -> dict[int, list[int]]:
    """Department id -> its ancestors from the top of the tree down to itself."""
    chains: dict[int, list[int]] = {}
    for pk in parents:
        chain, node = [], pk
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        chains[pk] = chain[::-1]
    return chains


def default_area_level(chains: dict[int, list[int]]) -> int:
    """The first level of the tree holding more than one department (1 when none does).

    A company with a single root (the usual shape) is then split into the departments under
    it, never lumped into one area.
    """
    per_level: dict[int, int] = {}
    for chain in chains.values():
        per_level[len(chain)] = per_level.get(len(chain), 0) + 1
    return next((level for level in sorted(per_level) if per_level[level] > 1), 1)


def area_level_in_use(program: Program) -> int | None:
    """The level that makes an area in a whole-company program (None: it lists its areas)."""
    if program.areas.exists():
        return None
    if program.area_level:
        return program.area_level
    return default_area_level(_chains(dict(Department.objects.values_list("pk", "parent_id"))))


def areas_by_department(program: Program) -> dict[int, int]:
    """Department id -> the id of the area it belongs to, for this program.

    The one definition of an area, used by the engine, the swap and assignment checks, the
    "same area" / "another area" reasons and the proposals page. A program that lists its
    areas (department subtrees chosen by HR) maps each department to the nearest listed one
    above it; departments outside them belong to no area. A whole-company program takes the
    ancestor at `program.area_level` (1 = top level; empty = `default_area_level`). A
    department above that level (the root itself, say) is an area of its own, holding only the
    people placed directly in it: they are never lumped with the departments below.
    """
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    chains = _chains(parents)
    scope = set(program.areas.values_list("pk", flat=True))
    if scope:
        found: dict[int, int] = {}
        for pk, chain in chains.items():
            listed = [node for node in chain if node in scope]
            if listed:
                found[pk] = listed[-1]
        return found
    level = program.area_level or default_area_level(chains)
    return {pk: chain[level - 1] if len(chain) >= level else pk for pk, chain in chains.items()}


@dataclass
class _Questionnaire:
    """The program's questions that feed matching, by role and criterion."""

    by_role: dict[str, dict[str, Question]] = field(default_factory=dict)

    @classmethod
    def of(cls, program: Program) -> _Questionnaire:
        found: dict[str, dict[str, Question]] = {Role.MENTOR: {}, Role.MENTEE: {}}
        for question in program.questions.exclude(criterion="").order_by("order", "pk"):
            found[question.role].setdefault(question.criterion, question)
        return cls(by_role=found)

    def question(self, role: str, criterion: str) -> Question | None:
        return self.by_role.get(role, {}).get(criterion)

    def answer(self, application: Application, criterion: str):
        question = self.question(application.role, criterion)
        if question is None:
            return None
        return application.answers.get(str(question.code))

    def weights(self) -> dict[str, str]:
        """Each criterion's weight; the mentee's question decides where both sides ask."""
        weights: dict[str, str] = {}
        for role in (Role.MENTOR, Role.MENTEE):
            for criterion, question in self.by_role.get(role, {}).items():
                weights[criterion] = question.weight
        weights.pop(C.CAPACITY, None)
        return weights

    def choice_index(self, role: str, criterion: str, value) -> int | None:
        question = self.question(role, criterion)
        if question is None or not isinstance(value, str) or value not in question.choices:
            return None
        return question.choices.index(value)


def _ids(value) -> list[int]:
    if not isinstance(value, list | tuple):
        return []
    return [int(item) for item in value if str(item).isdigit()]


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item]
    return []


def _common(person, area_of: dict[int, int]) -> dict:
    return {
        "area": area_of.get(person.department_id),
        "languages": [language.code for language in person.languages.all()],
        "location": person.location or None,
    }


def mentee_profile(application: Application, questions: _Questionnaire, area_of) -> dict:
    person = application.person
    wanted = questions.answer(application, C.EXPERIENCE)
    # The mentee picks a band from the mentor's scale ("3 to 10 years"); anything else
    # ("No preference") is no requirement.
    experience = questions.choice_index(Role.MENTOR, C.EXPERIENCE, wanted)
    area_answer = questions.choice_index(Role.MENTEE, C.AREA, questions.answer(application, C.AREA))
    location_answer = questions.choice_index(
        Role.MENTEE, C.LOCATION, questions.answer(application, C.LOCATION)
    )
    return {
        **_common(person, area_of),
        "skills": _ids(questions.answer(application, C.SKILLS_WANTED)),
        "experience": experience,
        "communication_style": questions.answer(application, C.COMMUNICATION_STYLE) or None,
        "availability": _texts(questions.answer(application, C.AVAILABILITY)),
        # The first choices of the default questions are "my own area" / "another area"
        # and "same city": the index, not the wording, carries the meaning in any language.
        "area_preference": {0: scoring.SAME, 1: scoring.DIFFERENT}.get(area_answer),
        "same_location": location_answer == 0,
    }


def mentor_profile(application: Application, questions: _Questionnaire, area_of) -> dict:
    person = application.person
    offered = _ids(questions.answer(application, C.SKILLS_OFFERED))
    if not offered:
        offered = [skill.pk for skill in person.skills.all()]
    band = questions.choice_index(
        Role.MENTOR, C.EXPERIENCE, questions.answer(application, C.EXPERIENCE)
    )
    return {
        **_common(person, area_of),
        "skills": offered,
        "experience": band,
        "communication_style": questions.answer(application, C.COMMUNICATION_STYLE) or None,
        "availability": _texts(questions.answer(application, C.AVAILABILITY)),
    }


@dataclass
class ProgramScores:
    """Scores (0–100) of mentees (rows) against mentors (columns) and the must-have mask."""

    mentees: Sequence[Application]
    mentors: Sequence[Application]
    scores: np.ndarray
    must_ok: np.ndarray
    mentee_profiles: list[dict] = field(default_factory=list)
    mentor_profiles: list[dict] = field(default_factory=list)
    weights: dict[str, str] = field(default_factory=dict)
    skill_names: dict[int, str] = field(default_factory=dict)
    language_names: dict[str, str] = field(default_factory=dict)

    def explain(self, i: int, j: int, audience: str = "hr") -> list[dict]:
        """The reasons for one pair, worded for the mentee ("you want") or for HR and the pair."""
        reasons = scoring.explain(self.mentee_profiles[i], self.mentor_profiles[j], self.weights)
        items = []
        for reason in reasons:
            if reason.outcome == scoring.UNKNOWN:
                continue
            item = reason.as_dict()
            facts = dict(item["facts"])
            if "matched" in facts:
                facts["matched"] = [self.skill_names.get(pk, "?") for pk in facts["matched"]]
            if reason.criterion == scoring.LANGUAGE:
                facts["shared"] = [self.language_names.get(c, c) for c in facts.get("shared", [])]
            item["facts"] = facts
            item["audience"] = audience
            item["text"] = reason_text(item)
            items.append(item)
        return items


def program_scores(
    program: Program, mentees: Sequence[Application], mentors: Sequence[Application]
) -> ProgramScores:
    """Score these mentees against these mentors of `program` (applications, any order)."""
    mentees, mentors = list(mentees), list(mentors)
    prefetch_related_objects(mentees + mentors, "person__languages", "person__skills")
    questions = _Questionnaire.of(program)
    area_of = areas_by_department(program)
    mentee_profiles = [mentee_profile(a, questions, area_of) for a in mentees]
    mentor_profiles = [mentor_profile(a, questions, area_of) for a in mentors]
    weights = questions.weights()
    if mentees and mentors:
        matrix = scoring.score_matrix(mentee_profiles, mentor_profiles, weights)
        scores, must_ok = matrix.scores, matrix.must_ok
    else:
        scores = np.zeros((len(mentees), len(mentors)))
        must_ok = np.ones((len(mentees), len(mentors)), dtype=bool)
    skill_ids = {pk for profile in mentee_profiles + mentor_profiles for pk in profile["skills"]}
    return ProgramScores(
        mentees=mentees,
        mentors=mentors,
        scores=scores,
        must_ok=must_ok,
        mentee_profiles=mentee_profiles,
        mentor_profiles=mentor_profiles,
        weights=weights,
        skill_names=dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name")),
        language_names={language.code: language.name for language in Language.objects.all()},
    )


def _listed(items) -> str:
    return ", ".join(str(item) for item in items)


def reason_text(reason: dict) -> str:
    """One sentence for a stored or fresh reason, in the active language."""
    criterion, outcome = reason.get("criterion"), reason.get("outcome")
    facts = reason.get("facts") or {}
    mentee = reason.get("audience") == "mentee"
    met = outcome in (scoring.MET, scoring.PARTLY)
    if criterion == scoring.SKILLS:
        if not met:
            return (
                _("Offers none of the skills you want")
                if mentee
                else _("Offers none of the skills the mentee wants")
            )
        values = {
            "n": len(facts.get("matched", [])),
            "wanted": facts.get("wanted", 0),
            "skills": _listed(facts.get("matched", [])),
        }
        if values["n"] == values["wanted"]:
            if mentee:
                return (
                    ngettext(
                        "Offers the skill you want: %(skills)s",
                        "Offers all %(wanted)d skills you want: %(skills)s",
                        values["wanted"],
                    )
                    % values
                )
            return (
                ngettext(
                    "Offers the skill the mentee wants: %(skills)s",
                    "Offers all %(wanted)d skills the mentee wants: %(skills)s",
                    values["wanted"],
                )
                % values
            )
        if mentee:
            return _("Offers %(n)d of the %(wanted)d skills you want: %(skills)s") % values
        return _("Offers %(n)d of the %(wanted)d skills the mentee wants: %(skills)s") % values
    if criterion == scoring.EXPERIENCE:
        if met:
            return (
                _("Has the experience you asked for")
                if mentee
                else _("Has the experience the mentee asked for")
            )
        return (
            _("Less experience than you asked for")
            if mentee
            else _("Less experience than the mentee asked for")
        )
    if criterion == scoring.STYLE:
        if met:
            return _("Same communication style: %(style)s") % {"style": facts.get("mentor", "")}
        return _("A different communication style: %(style)s") % {"style": facts.get("mentor", "")}
    if criterion == scoring.AVAILABILITY:
        if not met:
            return _("No availability in common")
        return _("Available: %(times)s") % {"times": _listed(facts.get("shared", []))}
    if criterion == scoring.AREA:
        same = facts.get("same")
        if same:
            return _("From your own area") if mentee else _("From the mentee's own area")
        return _("From another area") if mentee else _("From another area than the mentee")
    if criterion == scoring.LANGUAGE:
        if not met:
            return _("No language in common")
        return _("Speaks %(languages)s") % {"languages": _listed(facts.get("shared", []))}
    if criterion == scoring.LOCATION:
        if met:
            return _("Works in %(place)s too") % {"place": facts.get("mentor", "")}
        return _("Works in %(place)s") % {"place": facts.get("mentor", "")}
    return str(reason.get("text", ""))


def reasons_worded(reasons: list[dict], audience: str | None = None) -> list[dict]:
    """Stored reasons worded again in the reader's language (pairs keep them as data).

    With `audience` ("mentee" or "hr"), they are worded for that reader whoever they were
    stored for: the mentee reads "you want", everyone else "the mentee wants".
    """
    worded = []
    for reason in reasons or []:
        reason = {**reason, "audience": audience or reason.get("audience")}
        worded.append({**reason, "text": reason_text(reason)})
    return worded
