"""Reads of HR's proposals (the board, the engine run) and of the approvals that follow."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.models import Department
from programs.models import Application, Program, Role

from ..models import Mentorship
from ..pairs.selectors import paired_before, with_answers_changed_at
from ..profiles import program_scores

DECIDED = (Mentorship.Decision.APPROVED, Mentorship.Decision.DECLINED)


def mentees_to_pair(program: Program) -> list[Application]:
    """Active approved mentees of the program without a pair, a draft or a pending pairing."""
    holding = Mentorship.objects.holding_place().filter(program=program).values("mentee_id")
    return list(
        Application.objects.enrolled()
        .filter(program=program, role=Role.MENTEE, person__is_active=True)
        .exclude(person_id__in=holding)
        .select_related("person", "person__department")
        .order_by("person__last_name", "person__first_name")
    )


# --- the board ----------------------------------------------------------------------------


def proposal_drafts(program: Program) -> QuerySet[Mentorship]:
    """HR's draft pairs of the program, by the mentee's name."""
    return (
        with_answers_changed_at(program.mentorships.filter(status=Mentorship.Status.PROPOSED))
        .select_related("mentor__department", "mentee__department")
        .order_by("mentee__last_name", "mentee__first_name", "pk")
    )


def published_pairs(program: Program, *, limit: int) -> list[Mentorship]:
    """The last `limit` published pairs still current: those awaiting approval first."""
    return list(
        with_answers_changed_at(program.mentorships.all())
        .filter(status__in=[Mentorship.Status.AWAITING_APPROVAL, Mentorship.Status.ACTIVE])
        .select_related("mentor__department", "mentee__department")
        .order_by("-status", "-updated_at", "-pk")[:limit]  # awaiting first
    )


def names_of_areas(area_of: dict[int, int]) -> dict[int, str]:
    """Area id -> the name of its department, for the areas in `area_of`."""
    names = dict(Department.objects.values_list("pk", "name"))
    return {area: names.get(area, "") for area in set(area_of.values())}


@dataclass
class AreaRow:
    """One area of the program before proposing: who is in it and whether it can be matched."""

    name: str
    mentors: int = 0
    places: int = 0
    mentees: int = 0

    @property
    def problem(self) -> str:
        if self.mentees and not self.mentors:
            return _("No mentor: its mentees cannot be matched.")
        if self.mentees > self.places:
            short = self.mentees - self.places
            return ngettext(
                "Fewer places than mentees: %(n)d mentee will stay unmatched.",
                "Fewer places than mentees: %(n)d mentees will stay unmatched.",
                short,
            ) % {"n": short}
        return ""


def area_summary(
    program: Program,
    *,
    area_of: dict[int, int],
    area_names: dict[int, str],
    mentees: list[Application],
    mentors: list[Application],
) -> list[AreaRow]:
    """Per area: mentors, their free places and the mentees still to pair, by area name.

    `mentees` are those still to pair and `mentors` the program's available mentors (with
    `places_left`). People whose department is in no area of the program come last, as one row.
    """
    rows: dict[int | None, AreaRow] = {
        area: AreaRow(name=area_names.get(area, ""))
        for area in program.areas.values_list("pk", flat=True)
    }
    outside = _("Outside the program's areas")
    for mentor in mentors:
        area = area_of.get(mentor.person.department_id)
        row = rows.setdefault(area, AreaRow(name=area_names.get(area, outside)))
        row.mentors += 1
        row.places += max(mentor.places_left, 0)
    for application in mentees:
        area = area_of.get(application.person.department_id)
        row = rows.setdefault(area, AreaRow(name=area_names.get(area, outside)))
        row.mentees += 1
    inside = sorted((row for key, row in rows.items() if key is not None), key=lambda r: r.name)
    return inside + ([rows[None]] if None in rows else [])


@dataclass
class Candidate:
    """A mentor HR may give an unmatched mentee by hand, with the score they would have."""

    application: Application
    score: float
    reasons: list[dict]
    below_floor: bool
    repeated: bool

    @property
    def code(self):
        return self.application.code

    @property
    def label(self) -> str:
        values = {
            "name": self.application.person.get_full_name(),
            "department": self.application.person.department or "—",
            "score": round(self.score),
            "n": self.application.places_left,
        }
        label = (
            ngettext(
                "%(name)s — %(department)s · %(score)d/100 · %(n)d place left",
                "%(name)s — %(department)s · %(score)d/100 · %(n)d places left",
                values["n"],
            )
            % values
        )
        if self.repeated:
            label += " · " + _("paired before")
        elif self.below_floor:
            label += " · " + _("below the minimum")
        return label


@dataclass
class UnmatchedRow:
    application: Application
    area: str
    reason: str
    last_run: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    refusal: dict | None = None

    @property
    def best(self) -> list[Candidate]:
        """The candidates shown with their reasons; the others are in the list to choose from."""
        return self.candidates[:CANDIDATES_EXPLAINED]

    @property
    def listed(self) -> list[Candidate]:
        """The candidates to choose from: the best ones, so that a large area stays usable."""
        return self.candidates[:CANDIDATES_LISTED]

    @property
    def not_listed(self) -> int:
        return max(len(self.candidates) - CANDIDATES_LISTED, 0)


CANDIDATES_EXPLAINED = 3
CANDIDATES_LISTED = 50


def unmatched_mentees(
    program: Program,
    *,
    area_of: dict[int, int],
    area_names: dict[int, str],
    last_run: dict,
    mentees: list[Application],
    mentors: list[Application],
) -> list[UnmatchedRow]:
    """Mentees not in any pair or draft, why, and the mentors HR may give them by hand.

    Candidates are the mentors with places in the mentee's area who meet the must-have
    criteria, best score first; those below the program's minimum or paired before stay in the
    list, marked, last (HR may still decide, explicitly). The reason is worked out now; the
    engine's own reason from the last run, kept in HR's session, is added when it still applies.
    """
    mentors = [m for m in mentors if m.places_left > 0]
    scored = program_scores(program, mentees, mentors)
    past = paired_before([m.person_id for m in mentors], [a.person_id for a in mentees])
    by_area: dict[int, list[int]] = {}
    for j, mentor in enumerate(mentors):
        area = area_of.get(mentor.person.department_id)
        if area is not None:
            by_area.setdefault(area, []).append(j)
    rows = []
    for i, application in enumerate(mentees):
        person = application.person
        area = area_of.get(person.department_id)
        in_area = by_area.get(area, []) if area is not None else []
        candidates = []
        for j in in_area:
            mentor = mentors[j]
            if mentor.person_id in (person.pk, person.manager_id):
                continue
            if mentor.person.manager_id == person.pk or not scored.must_ok[i, j]:
                continue
            score = float(scored.scores[i, j])
            candidates.append(
                Candidate(
                    application=mentor,
                    score=score,
                    reasons=scored.explain(i, j),
                    below_floor=score < program.min_score,
                    repeated=(mentor.person_id, person.pk) in past,
                )
            )
        candidates.sort(key=lambda c: (c.repeated, c.below_floor, -c.score))
        row = UnmatchedRow(
            application=application,
            area=area_names.get(area, ""),
            reason="",
            candidates=candidates,
        )
        fitting = [c for c in candidates if not c.repeated]
        if area is None:
            row.reason = _("Their department is not in any of the program's areas.")
        elif not in_area:
            row.reason = _("No mentor in their area has places left.")
        elif not fitting:
            row.reason = _(
                "The mentors in their area with places left are their manager, a direct report, "
                "a past mentor or do not meet their must-have criteria."
            )
        elif all(c.below_floor for c in fitting):
            row.reason = _("No mentor reaches the minimum (%(n)d/100).") % {"n": program.min_score}
        else:
            row.reason = _("Not in the draft: propose pairs again, or choose a mentor by hand.")
            row.last_run = last_run.get(str(application.code), "")
        rows.append(row)
    return rows


# --- approvals: the mentee's manager and the proposed mentor ----------------------------------


def _awaiting() -> QuerySet[Mentorship]:
    return (
        with_answers_changed_at(Mentorship.objects.all())
        .filter(status=Mentorship.Status.AWAITING_APPROVAL)
        .select_related("program", "mentor__department", "mentee__department")
    )


def pairings_to_approve(manager) -> list[Mentorship]:
    """Pairings of `manager`'s direct reports that wait for their approval, oldest first."""
    return list(
        _awaiting()
        .filter(mentee__manager=manager, manager_decision=Mentorship.Decision.PENDING)
        .order_by("created_at", "pk")
    )


def pairings_to_confirm(mentor) -> list[Mentorship]:
    """Pairings proposed to `mentor` that wait for their confirmation, oldest first."""
    return list(
        _awaiting()
        .filter(mentor=mentor, mentor_decision=Mentorship.Decision.PENDING)
        .order_by("created_at", "pk")
    )


def pairing_decisions(user, *, limit: int) -> list[Mentorship]:
    """The last `limit` pairings `user` approved or declined, as manager or as mentor."""
    return list(
        Mentorship.objects.filter(
            Q(mentee__manager=user, manager_decision__in=DECIDED)
            | Q(mentor=user, mentor_decision__in=DECIDED)
        )
        .select_related("program", "mentor", "mentee")
        .order_by("-updated_at", "-pk")[:limit]
    )
