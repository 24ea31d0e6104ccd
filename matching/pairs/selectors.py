"""Reads about pairs that every matching feature shares: who may be paired with whom, the places
mentors have left, what keeps someone from matching yet, and the home page's summary."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from people.models import Skill, User
from programs.applications.selectors import answered_skill_ids, answers_readable
from programs.models import Application, Program, Question, Role

from ..hooks import matching_gates
from ..models import MatchRequest, Mentorship
from ..profiles import program_scores

MATCHING_OPEN = (Program.Status.MATCHING, Program.Status.RUNNING)


def matching_gate_problems(program: Program, person: User, role: str) -> list[str]:
    """What keeps `person` from requesting (mentee) or accepting (mentor) yet: required training."""
    if not program.training_required_to_match:
        return []
    problems: list[str] = []
    for gate in matching_gates:
        problems.extend(gate(program, person, role))
    return problems


def enrolment(program: Program, person: User, role: str) -> Application | None:
    return (
        Application.objects.enrolled()
        .filter(program=program, person=person, role=role)
        .select_related("program")
        .first()
    )


def _repeat_reason(earlier: Mentorship) -> str:
    if earlier.status == Mentorship.Status.DECLINED:
        return _("This pairing was not approved in “%(program)s”: it is never proposed again.") % {
            "program": earlier.program.name
        }
    return _("These two are, or have already been, a pair (“%(program)s”).") % {
        "program": earlier.program.name
    }


def repeated_pair_reason(*, mentor: User, mentee: User) -> str | None:
    """Why these two may not be paired again (None: they never were), the never-again rule.

    A pairing that existed (published for approval, active, finished or ended early) or that
    was not approved (declined by the manager, the mentor or HR, or dropped with its program),
    in any program, is never made again. Only a draft HR discarded or is still editing leaves
    no trace. HR may override it explicitly, with a reason that is kept on the pair.
    """
    earlier = (
        Mentorship.objects.never_again()
        .filter(mentor=mentor, mentee=mentee)
        .select_related("program")
        .order_by("-created_at", "-pk")
        .first()
    )
    return _repeat_reason(earlier) if earlier else None


def forbidden_pair_reason(
    *, mentor: User, mentee: User, repeat_allowed: bool = False
) -> str | None:
    """Why these two may never be paired (None: they may).

    `repeat_allowed` leaves out the never-again rule (`repeated_pair_reason`): HR overriding
    it still meets the rules nobody can override (oneself, one's manager or direct report).
    """
    if mentor.pk == mentee.pk:
        return _("Nobody can mentor themselves.")
    if mentee.manager_id == mentor.pk:
        return _("A manager cannot mentor their own direct report.")
    if mentor.manager_id == mentee.pk:
        return _("Nobody can be mentored by their own direct report.")
    if repeat_allowed:
        return None
    return repeated_pair_reason(mentor=mentor, mentee=mentee)


def paired_before(mentor_ids: Iterable[int], mentee_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(mentor id, mentee id) among these people that the never-again rule keeps apart, in one
    query: the bulk twin of `repeated_pair_reason`."""
    return set(
        Mentorship.objects.never_again()
        .filter(mentor_id__in=list(mentor_ids), mentee_id__in=list(mentee_ids))
        .values_list("mentor_id", "mentee_id")
    )


def mentor_loads(program: Program) -> dict[int, int]:
    """Places taken per mentor in the program (proposed, awaiting approval or active)."""
    rows = (
        Mentorship.objects.holding_place()
        .filter(program=program)
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    return {row["mentor_id"]: row["n"] for row in rows}


def with_load(enrolments: QuerySet[Application]) -> QuerySet[Application]:
    """Mentor enrolments annotated with `load`: the places taken in their own program."""
    return enrolments.annotate(
        load=Count(
            "person__mentorships_as_mentor",
            filter=Q(
                person__mentorships_as_mentor__program=F("program"),
                person__mentorships_as_mentor__status__in=Mentorship.HOLDING,
            ),
        )
    )


def mentors_with_places(program: Program) -> QuerySet[Application]:
    """Approved, unpaused mentors of the program annotated with `load` and `places_left`."""
    return (
        with_load(
            Application.objects.enrolled().filter(
                program=program, role=Role.MENTOR, paused=False, person__is_active=True
            )
        )
        .annotate(
            places_left=Coalesce(
                "capacity", Value(program.mentor_capacity), output_field=IntegerField()
            )
            - F("load")
        )
        .select_related("program", "person", "person__department")
    )


def with_answers_changed_at(pairs: QuerySet) -> QuerySet:
    """Pairs or requests annotated with `answers_changed_at`: when the mentee's or the mentor's
    application in the program last changed (None: neither found).

    The stored score is never recomputed; a page compares this with `scored_at` to say that the
    score was computed on an earlier date than the answers it would be computed from now.
    """

    def last_change(person: str, role: str):
        return Subquery(
            Application.objects.filter(
                program_id=OuterRef("program_id"), person_id=OuterRef(f"{person}_id"), role=role
            )
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )

    return pairs.annotate(
        answers_changed_at=Greatest(
            last_change("mentee", Role.MENTEE), last_change("mentor", Role.MENTOR)
        )
    )


def answers_changed_at(pair: Mentorship | MatchRequest):
    """`answers_changed_at` of one pair or request (see `with_answers_changed_at`), one query."""
    return (
        with_answers_changed_at(type(pair).objects.filter(pk=pair.pk))
        .values_list("answers_changed_at", flat=True)
        .first()
    )


@dataclass
class Wish:
    """What a mentee asks for: their answers HR shows to the pair (`Question.shown_to_pair`,
    rows of `answers_readable`, answered ones only) and the message of their request."""

    mentee: User
    answers: list[dict] = field(default_factory=list)
    message: str = ""

    def __bool__(self) -> bool:
        return bool(self.answers or self.message)


def with_wishes(items: Sequence[Mentorship | MatchRequest]) -> Sequence:
    """Set `wish` on each pair or request, in four queries whatever their number.

    A request carries its own message; a pair, the message of the request that made it. Only
    pages whose access helper lets the reader see the pair or request may show it.
    """
    items = list(items)
    if not items:
        return items
    programs = {item.program_id for item in items}
    mentees = {item.mentee_id for item in items}
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(
        program_id__in=programs, role=Role.MENTEE, shown_to_pair=True
    ).order_by("order", "pk"):
        questions.setdefault(question.program_id, []).append(question)
    answers = {
        (program_id, person_id): value
        for program_id, person_id, value in Application.objects.enrolled()
        .filter(program_id__in=programs, person_id__in=mentees, role=Role.MENTEE)
        .values_list("program_id", "person_id", "answers")
    }
    skill_ids = set()
    for (program_id, _person), value in answers.items():
        skill_ids |= answered_skill_ids(questions.get(program_id, []), value)
    names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    pair_ids = [item.pk for item in items if isinstance(item, Mentorship)]
    messages = dict(
        MatchRequest.objects.filter(
            mentorship_id__in=pair_ids, status=MatchRequest.Status.ACCEPTED
        ).values_list("mentorship_id", "message")
        if pair_ids
        else []
    )
    for item in items:
        rows = answers_readable(
            questions=questions.get(item.program_id, []),
            answers=answers.get((item.program_id, item.mentee_id), {}),
            skill_names=names,
        )
        item.wish = Wish(
            mentee=item.mentee,
            answers=[row for row in rows if row["values"]],
            message=item.message if isinstance(item, MatchRequest) else messages.get(item.pk, ""),
        )
    return items


def mentee_wish(item: Mentorship | MatchRequest) -> Wish:
    """The wish behind one pair or request (see `with_wishes`)."""
    return with_wishes([item])[0].wish


def pair_score(program: Program, mentee: User, mentor: User) -> tuple[float | None, list]:
    """The match score and its reasons for a pair about to be made, as of now (None when not
    enrolled). A pair or request that exists keeps the score stored when it was decided."""
    mentee_application = enrolment(program, mentee, Role.MENTEE)
    mentor_application = enrolment(program, mentor, Role.MENTOR)
    if mentee_application is None or mentor_application is None:
        return None, []
    scored = program_scores(program, [mentee_application], [mentor_application])
    return round(float(scored.scores[0, 0]), 1), scored.explain(0, 0)


def mentoring_summary(user) -> dict:
    """What a person has going on in matching, in four queries whatever their history."""
    pairs = list(
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.AWAITING_APPROVAL])
        .select_related("program", "mentor", "mentee")
        .order_by("deadline")
    )
    paired_programs = {p.program_id for p in pairs if p.mentee_id == user.pk}
    looking = [
        application.program
        for application in Application.objects.enrolled()
        .filter(
            person=user,
            role=Role.MENTEE,
            program__matching_mode=Program.MatchingMode.MENTEE_CHOICE,
            program__status__in=[Program.Status.MATCHING, Program.Status.RUNNING],
        )
        .select_related("program")
        if application.program_id not in paired_programs
    ]
    requests_waiting = MatchRequest.objects.open().filter(mentor=user).count()
    approvals_waiting = (
        Mentorship.objects.filter(status=Mentorship.Status.AWAITING_APPROVAL)
        .filter(
            Q(mentee__manager=user, manager_decision=Mentorship.Decision.PENDING)
            | Q(mentor=user, mentor_decision=Mentorship.Decision.PENDING)
        )
        .count()
    )
    return {
        "pairs": pairs,
        "looking": looking,
        "requests_waiting": requests_waiting,
        "approvals_waiting": approvals_waiting,
        "any": bool(pairs or looking or requests_waiting or approvals_waiting),
    }


def pairs_of_member(user) -> QuerySet[Mentorship]:
    """The pairs `user` is or was in, as mentor or mentee: current ones first, newest first."""
    return (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .exclude(status=Mentorship.Status.PROPOSED)
        .select_related("program", "mentor__department", "mentee__department")
        .annotate(
            current=Case(When(status__in=Mentorship.HOLDING, then=Value(0)), default=Value(1))
        )
        .order_by("current", "-created_at", "-pk")
    )


def program_pairs(program: Program, status: str = "") -> QuerySet[Mentorship]:
    """The pairs of a program, newest first, optionally only those in one status."""
    pairs = with_answers_changed_at(program.mentorships.all()).select_related(
        "mentor__department", "mentee__department"
    )
    if status:
        pairs = pairs.filter(status=status)
    return pairs.order_by("-created_at", "-pk")


def program_pair_counts(program: Program) -> dict[str, int]:
    """How many pairs of the program are in each status (statuses with none are left out)."""
    return dict(program.mentorships.order_by().values_list("status").annotate(n=Count("pk")))


def pairs_waiting_for_hr(program: Program) -> list[Mentorship]:
    """Pairs of the program agreed from the catalogue that wait for HR's approval, oldest first."""
    return list(
        with_answers_changed_at(program.mentorships.all())
        .filter(status=Mentorship.Status.AWAITING_APPROVAL, hr_decision=Mentorship.Decision.PENDING)
        .select_related("mentor__department", "mentee__department")
        .order_by("created_at", "pk")
    )


def personal_data(*, person: User) -> dict:
    """The `people.personal_data` section: the person's pairs and mentoring requests."""
    from people.personal_data import rows

    pair_fields = (
        "code",
        "program__name",
        "status",
        "origin",
        "starts_on",
        "deadline",
        "mentor_decision",
        "mentor_comment",
        "activated_at",
        "ended_at",
        "end_reason",
        "created_at",
    )
    request_fields = (
        "code",
        "program__name",
        "rank",
        "message",
        "status",
        "expires_at",
        "answered_at",
        "reply_reason",
        "created_at",
    )
    mine = Q(mentor=person) | Q(mentee=person)
    return {
        "pairs": rows(
            Mentorship.objects.filter(mine).order_by("created_at", "pk"),
            "mentor__email",
            "mentee__email",
            *pair_fields,
        ),
        "requests_sent": rows(
            MatchRequest.objects.filter(mentee=person).order_by("created_at", "pk"),
            "mentor__email",
            *request_fields,
        ),
        # Only what reached them, without the mentee's ranking: no more than the app shows.
        "requests_received": rows(
            MatchRequest.objects.filter(mentor=person, expires_at__isnull=False).order_by(
                "created_at", "pk"
            ),
            "mentee__email",
            *(name for name in request_fields if name != "rank"),
        ),
    }
