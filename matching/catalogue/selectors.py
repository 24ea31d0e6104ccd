"""The mentor catalogue (mentee-choice programs): who a mentee may ask, scored and explained;
and the requests that mentors answer and mentees follow.

Read side only: the requests themselves go through `services.requests_send`. A mentor is in a
mentee's catalogue when they are an approved, unpaused, active mentor of the program with a
place left, meet the mentee's must-have criteria, and may be paired with the mentee at all
(not themselves, not their manager, not one of their reports, not a past or current mentor).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import object_key
from people.models import Language, Skill, User
from programs.models import Application, Program, Question, Role

from ..models import MatchRequest, Mentorship
from ..pairs.selectors import (
    matching_gate_problems,
    mentors_with_places,
    with_answers_changed_at,
    with_load,
)
from ..profiles import areas_by_department, program_scores

# How many met reasons a catalogue card shows in its short "why" (unmet ones always show).
SHORT_WHY = 2


@dataclass(frozen=True)
class CatalogueFilters:
    """What the mentee narrowed the catalogue to (empty values: no filter)."""

    skills: frozenset[int] = frozenset()
    department: int | None = None
    location: str = ""
    language: str = ""
    availability: str = ""
    area: str = ""  # "same": the mentee's area; "other": any other area (the program's areas)

    def __bool__(self) -> bool:
        return bool(
            self.skills
            or self.department
            or self.location
            or self.language
            or self.availability
            or self.area
        )


@dataclass
class CatalogueEntry:
    application: Application
    person: User
    score: float
    explanation: list[dict]
    places_left: int
    skills: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    requested: bool = False

    @property
    def code(self) -> UUID:
        return self.application.code

    @property
    def why(self) -> list[dict]:
        """The short "why" of a card: the first reasons that are met, then every unmet one
        (a card never hides what a mentor does not offer)."""
        met = [reason for reason in self.explanation if reason.get("met")][:SHORT_WHY]
        return met + [reason for reason in self.explanation if reason.get("met") is False]

    @property
    def languages(self) -> list[Language]:
        return list(self.person.languages.all())


@dataclass
class CatalogueOptions:
    """The values the filters offer, taken from the mentors the mentee may ask."""

    skills: list[tuple[int, str]] = field(default_factory=list)
    departments: list[tuple[int, str]] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)


@dataclass
class Catalogue:
    entries: list[CatalogueEntry]
    options: CatalogueOptions
    total: int  # mentors the mentee may ask, before the filters
    open_requests: int


def mentee_enrolment(program: Program, person) -> Application | None:
    """`person`'s approved mentee application in `program`, ready for scoring."""
    return (
        Application.objects.enrolled()
        .filter(program=program, person=person, role=Role.MENTEE)
        .select_related("program", "person", "person__department", "person__manager")
        .prefetch_related("person__skills", "person__languages")
        .first()
    )


def mentor_questions(program: Program) -> list[Question]:
    """The program's questions for mentors, in the order of the questionnaire."""
    return list(program.questions.filter(role=Role.MENTOR).order_by("order", "pk"))


def _codes(questions: list[Question], criterion: str) -> list[str]:
    return [str(q.code) for q in questions if q.criterion == criterion]


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _skill_ids(application: Application, codes: list[str]) -> list[int]:
    ids: list[int] = []
    for code in codes:
        for item in _as_list(application.answers.get(code)):
            if isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
                ids.append(int(item))
    return list(dict.fromkeys(ids))


def _available_mentors(program: Program, mentee: Application, codes: Collection[UUID] | None):
    """Mentors with places whom `mentee` may be paired with, in one query (+ prefetches)."""
    person = mentee.person
    # The never-again rule: a mentor once paired with this mentee (declined too) is not offered.
    past = Mentorship.objects.never_again().filter(mentee_id=person.pk).values("mentor_id")
    mentors = (
        mentors_with_places(program)
        .filter(places_left__gt=0)
        .exclude(person_id=person.pk)
        .exclude(person__manager_id=person.pk)
        .exclude(person_id__in=past)
        .prefetch_related(
            "person__skills",
            Prefetch("person__languages", queryset=Language.objects.order_by("code")),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if person.manager_id:
        mentors = mentors.exclude(person_id=person.manager_id)
    if codes is not None:
        mentors = mentors.filter(code__in=list(codes))
    return list(mentors)


def _options(mentors, skills_of, names, availability_question) -> CatalogueOptions:
    skill_ids = {pk for mentor in mentors for pk in skills_of[mentor.pk]}
    departments = {
        m.person.department_id: m.person.department.name for m in mentors if m.person.department
    }
    locations: dict[str, str] = {}
    for mentor in mentors:
        location = mentor.person.location.strip()
        if location:
            locations.setdefault(location.casefold(), location)
    languages = {
        language.code: language.name
        for mentor in mentors
        for language in mentor.person.languages.all()
    }
    return CatalogueOptions(
        skills=sorted(
            ((pk, names[pk]) for pk in skill_ids if pk in names), key=lambda i: i[1].casefold()
        ),
        departments=sorted(departments.items(), key=lambda item: item[1].casefold()),
        locations=sorted(locations.values(), key=str.casefold),
        languages=sorted(languages.items(), key=lambda item: item[1].casefold()),
        availability=list(availability_question.choices) if availability_question else [],
    )


def _passes(
    mentor, filters: CatalogueFilters, skills_of, availability_of, area_of, mentee_area
) -> bool:
    person = mentor.person
    if filters.area:
        # The program's areas, the same definition as matching and the "same area" reason.
        same = mentee_area is not None and area_of.get(person.department_id) == mentee_area
        if same != (filters.area == "same"):
            return False
    if filters.skills and not filters.skills.intersection(skills_of[mentor.pk]):
        return False
    if filters.department and person.department_id != filters.department:
        return False
    if filters.location and person.location.strip().casefold() != filters.location.casefold():
        return False
    if filters.language and filters.language not in {
        language.code for language in person.languages.all()
    }:
        return False
    return not (filters.availability and filters.availability not in availability_of[mentor.pk])


def catalogue_build(
    program: Program,
    mentee: Application | User,
    filters: CatalogueFilters | None = None,
    *,
    codes: Collection[UUID] | None = None,
) -> Catalogue:
    """The catalogue of `mentee` (their approved application, or the person), best match first.

    A fixed number of queries whatever the number of mentors: the mentors (with their load and
    directory data), the mentor questions, the skill names, the mentee's open requests, and
    whatever the scoring reads once per call. With `codes`, only those mentors are considered.
    """
    filters = filters or CatalogueFilters()
    if not isinstance(mentee, Application):
        mentee = mentee_enrolment(program, mentee)
        if mentee is None:
            return Catalogue(entries=[], options=CatalogueOptions(), total=0, open_requests=0)
    mentors = _available_mentors(program, mentee, codes)
    questions = mentor_questions(program)
    offered_codes = _codes(questions, Question.Criterion.SKILLS_OFFERED)
    availability_question = next(
        (q for q in questions if q.criterion == Question.Criterion.AVAILABILITY), None
    )
    skills_of: dict[int, list[int]] = {}
    for mentor in mentors:
        # Without a "skills I can share" answer, the directory's skills say what they know.
        skills_of[mentor.pk] = _skill_ids(mentor, offered_codes) or [
            skill.pk for skill in mentor.person.skills.all()
        ]
    wanted = {pk for ids in skills_of.values() for pk in ids}
    names = dict(Skill.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    availability_of = {
        mentor.pk: [
            str(item)
            for item in _as_list(
                mentor.answers.get(str(availability_question.code))
                if availability_question
                else None
            )
        ]
        for mentor in mentors
    }
    requested = set(
        MatchRequest.objects.waiting()
        .filter(program=program, mentee_id=mentee.person_id)
        .values_list("mentor_id", flat=True)
    )
    options = _options(mentors, skills_of, names, availability_question)
    area_of = areas_by_department(program) if filters.area else {}
    mentee_area = area_of.get(mentee.person.department_id)
    shown = [
        m for m in mentors if _passes(m, filters, skills_of, availability_of, area_of, mentee_area)
    ]
    entries: list[CatalogueEntry] = []
    if shown:
        scored = program_scores(program, [mentee], shown)
        for j, mentor in enumerate(shown):
            if not bool(scored.must_ok[0, j]):
                continue
            entries.append(
                CatalogueEntry(
                    application=mentor,
                    person=mentor.person,
                    score=round(float(scored.scores[0, j]), 1),
                    explanation=scored.explain(0, j, audience="mentee"),
                    places_left=mentor.places_left,
                    skills=sorted(
                        (names[pk] for pk in skills_of[mentor.pk] if pk in names),
                        key=str.casefold,
                    ),
                    availability=availability_of[mentor.pk],
                    requested=mentor.person_id in requested,
                )
            )
    # Stable sort: equal scores keep the alphabetical order of the query.
    entries.sort(key=lambda entry: -entry.score)
    return Catalogue(
        entries=entries, options=options, total=len(mentors), open_requests=len(requested)
    )


def catalogue_for(
    program: Program, mentee: Application | User, filters: CatalogueFilters | None = None
) -> list[CatalogueEntry]:
    """The mentors `mentee` may ask, best match first (see `catalogue_build`)."""
    return catalogue_build(program, mentee, filters).entries


def catalogue_entry(
    program: Program, mentee: Application | User, code: UUID
) -> CatalogueEntry | None:
    """One mentor of `mentee`'s catalogue by their application code (None: not theirs to ask)."""
    entries = catalogue_build(program, mentee, codes=[code]).entries
    return entries[0] if entries else None


def opening_note(program: Program) -> str:
    """When the catalogue of a program that is not matching yet opens (or that it has closed)."""
    if program.status == Program.Status.CLOSED:
        return _("This program has closed; its mentor catalogue is no longer available.")
    return _(
        "The mentor catalogue opens when the program reaches its matching phase, after "
        "applications close on %(date)s. Pairs should be formed by %(deadline)s."
    ) % {
        "date": date_format(program.recruitment_closes, "DATE_FORMAT"),
        "deadline": date_format(program.matching_deadline, "DATE_FORMAT"),
    }


# --- requests: what mentors answer and mentees follow ------------------------------------------


def _days_until(moment, now) -> int:
    return max(0, math.ceil((moment - now).total_seconds() / 86400))


def requests_to_answer(mentor: User) -> list[MatchRequest]:
    """Open requests to `mentor` that have not expired, the soonest to expire first, each with
    its `days_left`."""
    now = timezone.now()
    found = list(
        with_answers_changed_at(MatchRequest.objects.open())
        .filter(mentor=mentor, expires_at__gt=now)
        .select_related("program", "mentee__department")
        .order_by("expires_at", "pk")
    )
    for match_request in found:
        match_request.days_left = _days_until(match_request.expires_at, now)
    return found


def requests_answered(mentor: User, *, limit: int) -> list[MatchRequest]:
    """The last `limit` requests to `mentor` that are no longer open, latest answer first
    (those that never reached them, queued behind earlier choices, are not theirs to see)."""
    return list(
        MatchRequest.objects.filter(mentor=mentor, expires_at__isnull=False)
        .exclude(status__in=MatchRequest.WAITING)
        .select_related("program", "mentee", "mentorship")
        .order_by(F("answered_at").desc(nulls_last=True), "-pk")[:limit]
    )


def mentor_enrolments(mentor: User) -> list[Application]:
    """`mentor`'s approved mentor applications in programs under way, each with its `load`."""
    return list(
        with_load(
            Application.objects.enrolled()
            .filter(person=mentor, role=Role.MENTOR)
            .exclude(program__status__in=[Program.Status.DRAFT, Program.Status.CLOSED])
        )
        .select_related("program")
        .order_by("program__starts_on", "program__name")
    )


def mentor_enrolment(program: Program, mentor: User) -> Application | None:
    """`mentor`'s approved mentor application in `program`, with its `load` (None: not one)."""
    return with_load(
        Application.objects.enrolled().filter(program=program, person=mentor, role=Role.MENTOR)
    ).first()


def mentee_requests(program: Program, mentee: User) -> list[MatchRequest]:
    """Every request `mentee` sent in `program`: first the waiting ones in their order of
    preference (the one with a mentor now, then the queue), each with `is_open`, `is_queued`,
    `position` (1 = first in line) and `days_left`; then the answered ones, latest first."""
    found = list(
        with_answers_changed_at(MatchRequest.objects.filter(program=program, mentee=mentee))
        .select_related("mentor__department", "mentorship")
        .annotate(
            # Ranks are reused once requests close, so they order only the waiting ones.
            open_rank=Case(
                When(status__in=MatchRequest.WAITING, then=F("rank")), default=Value(None)
            )
        )
        .order_by(
            F("open_rank").asc(nulls_last=True), F("answered_at").desc(nulls_last=True), "-pk"
        )
    )
    now = timezone.now()
    position = 0
    for match_request in found:
        waiting = match_request.status in MatchRequest.WAITING
        position += waiting
        match_request.position = position if waiting else None
        match_request.is_queued = match_request.status == MatchRequest.Status.QUEUED
        match_request.is_open = (
            match_request.status == MatchRequest.Status.PENDING
            and match_request.expires_at is not None
            and match_request.expires_at > now
        )
        match_request.days_left = (
            _days_until(match_request.expires_at, now) if match_request.expires_at else None
        )
    return found


def mentee_current_pair(program: Program, mentee: User) -> Mentorship | None:
    """The pair `mentee` has, or waits for, in `program` (HR's drafts aside)."""
    return (
        Mentorship.objects.holding_place()
        .filter(program=program, mentee=mentee)
        .exclude(status=Mentorship.Status.PROPOSED)
        .select_related("mentor")
        .first()
    )


# --- HR's view of a catalogue program ---------------------------------------------------------

NUDGE_MENTEES = "matching.nudge_mentee"
NUDGE_MENTORS = "matching.nudge_mentor"


def program_waiting_requests(program: Program):
    """The program's waiting requests (with a mentor, or queued), oldest first, each annotated
    with `position` in the mentee's order and `in_line` (how many the mentee has waiting)."""
    same_mentee = MatchRequest.objects.waiting().filter(
        program=OuterRef("program"), mentee=OuterRef("mentee")
    )
    return (
        MatchRequest.objects.waiting()
        .filter(program=program)
        .select_related("mentee__department", "mentor__department")
        .annotate(
            position=_count(same_mentee.filter(rank__lte=OuterRef("rank"))),
            in_line=_count(same_mentee),
        )
        .order_by("created_at", "pk")
    )


def _count(queryset):
    """A correlated COUNT(*) of `queryset`, as an integer annotation."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("program").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _requests_of_mentee(status=None):
    requests = MatchRequest.objects.filter(program=OuterRef("program"), mentee=OuterRef("person"))
    if status is not None:
        requests = requests.filter(status__in=status)
    return _count(requests)


def program_unmatched_mentees(program: Program):
    """Approved mentees of the program without a pair (or one waiting for approval), with the
    counts of their requests that say why: `sent`, `waiting`, `declined`, `expired`."""
    paired = Mentorship.objects.holding_place().filter(
        program=OuterRef("program"), mentee=OuterRef("person")
    )
    return (
        Application.objects.enrolled()
        .filter(program=program, role=Role.MENTEE)
        .exclude(Exists(paired))
        .select_related("person__department")
        .annotate(
            sent=_requests_of_mentee(),
            waiting=_requests_of_mentee(MatchRequest.WAITING),
            declined=_requests_of_mentee([MatchRequest.Status.DECLINED]),
            expired=_requests_of_mentee([MatchRequest.Status.EXPIRED]),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


def unmatched_reasons(program: Program, mentees: list[Application]) -> None:
    """Sets `reasons` on each unmatched mentee: why they have no mentor yet, in HR's words.
    The training gate is asked only for the mentees given (a page), and only when the program
    requires training before matching."""
    for mentee in mentees:
        reasons = []
        if mentee.waiting:
            reasons.append(_("Waiting for a mentor's answer."))
        elif not mentee.sent:
            reasons.append(_("No request sent yet."))
        elif mentee.declined and not mentee.expired:
            reasons.append(_("Every mentor they asked declined."))
        elif mentee.expired:
            reasons.append(_("Their requests expired without an answer."))
        else:
            reasons.append(_("They withdrew their requests."))
        reasons.extend(matching_gate_problems(program, mentee.person, Role.MENTEE))
        mentee.reasons = reasons


def program_mentors_overview(program: Program):
    """Every approved mentor of the program with `load`, `places_left` and `pending` (requests
    waiting for their answer), the fullest first."""
    pending = MatchRequest.objects.open().filter(
        program=OuterRef("program"), mentor=OuterRef("person")
    )
    return (
        with_load(Application.objects.enrolled().filter(program=program, role=Role.MENTOR))
        .annotate(
            places_left=Coalesce(
                "capacity", Value(program.mentor_capacity), output_field=IntegerField()
            )
            - F("load"),
            pending=_count(pending),
        )
        .select_related("program", "person__department")
        .order_by("places_left", "person__last_name", "person__first_name", "pk")
    )


def nudge_targets(program: Program) -> dict[str, list[User]]:
    """Who a nudge would reach: unmatched mentees who sent no request, and mentors who have a
    request waiting for their answer."""
    mentees = [
        application.person
        for application in program_unmatched_mentees(program).filter(sent=0)
        if application.person.is_active
    ]
    mentors = list(
        User.objects.filter(
            is_active=True,
            match_requests_received__program=program,
            match_requests_received__status=MatchRequest.Status.PENDING,
        ).distinct()
    )
    return {NUDGE_MENTEES: mentees, NUDGE_MENTORS: mentors}


def nudged(program: Program) -> dict[str, set[int]]:
    """The ids of the people already nudged in `program`, per kind of nudge."""
    found: dict[str, set[int]] = {NUDGE_MENTEES: set(), NUDGE_MENTORS: set()}
    rows = Notification.objects.filter(
        kind__in=list(found), object_key=object_key(program)
    ).values_list("kind", "recipient_id")
    for kind, recipient_id in rows:
        found[kind].add(recipient_id)
    return found


def hr_overview_counts(program: Program) -> dict[str, int]:
    """The numbers on top of HR's tab, in one query each."""
    return {
        "waiting": MatchRequest.objects.waiting().filter(program=program).count(),
        "unmatched": program_unmatched_mentees(program).count(),
        "mentors": Application.objects.enrolled().filter(program=program, role=Role.MENTOR).count(),
    }
