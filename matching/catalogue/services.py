"""Writes of the mentor catalogue: mentees ask mentors, mentors answer or pause, requests expire."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import notify
from people.models import User
from programs.models import Application, Program, Role

from ..models import MatchRequest, Mentorship
from ..pairs.selectors import (
    MATCHING_OPEN,
    enrolment,
    forbidden_pair_reason,
    matching_gate_problems,
    mentor_loads,
    pair_score,
)
from ..pairs.services import mentorship_create, mentorship_url
from ..profiles import program_scores


def request_problems(program: Program, mentee: User) -> list[str]:
    """Why `mentee` cannot request mentors in `program` now (empty: they can)."""
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        return [_("In this program HR forms the pairs.")]
    if program.status not in MATCHING_OPEN:
        return [_("Mentors can be requested once the program reaches its matching phase.")]
    if enrolment(program, mentee, Role.MENTEE) is None:
        return [_("Only approved mentees of this program can request a mentor.")]
    if Mentorship.objects.holding_place().filter(program=program, mentee=mentee).exists():
        return [_("You already have a mentor in this program.")]
    return matching_gate_problems(program, mentee, Role.MENTEE)


@transaction.atomic
def requests_send(
    *, program: Program, mentee: User, mentors: list[User], message: str
) -> list[MatchRequest]:
    """The mentee asks these mentors, in this order of preference."""
    problems = request_problems(program, mentee)
    if problems:
        raise ValidationError(problems)
    # One mentee submitting twice at once: the lock on their enrolment makes the second wait
    # and then see the first one's requests when it counts.
    Application.objects.select_for_update().filter(
        program=program, person=mentee, role=Role.MENTEE
    ).first()
    open_requests = list(MatchRequest.objects.waiting().filter(program=program, mentee=mentee))
    if not mentors:
        raise ValidationError(_("Choose at least one mentor."))
    if len({m.pk for m in mentors}) != len(mentors):
        raise ValidationError(_("Each mentor can be chosen only once."))
    if len(open_requests) + len(mentors) > program.max_requests:
        raise ValidationError(
            _("You can have at most %(n)d open requests at a time in this program.")
            % {"n": program.max_requests}
        )
    already = {r.mentor_id for r in open_requests}
    loads = mentor_loads(program)
    enrolled = {
        a.person_id: a
        for a in Application.objects.enrolled().filter(
            program=program, role=Role.MENTOR, person__in=mentors
        )
    }
    errors = []
    for mentor in mentors:
        application = enrolled.get(mentor.pk)
        if mentor.pk in already:
            errors.append(_("You have already asked %(name)s.") % {"name": mentor})
        elif application is None or application.paused or not mentor.is_active:
            errors.append(_("%(name)s is not taking mentees right now.") % {"name": mentor})
        elif loads.get(mentor.pk, 0) >= application.mentor_capacity:
            errors.append(_("%(name)s has no places left.") % {"name": mentor})
        else:
            reason = forbidden_pair_reason(mentor=mentor, mentee=mentee)
            if reason:
                errors.append(_("%(name)s: %(reason)s") % {"name": mentor, "reason": reason})
    if errors:
        raise ValidationError(errors)
    message = message.strip()
    mentee_application = enrolment(program, mentee, Role.MENTEE)
    scored = program_scores(program, [mentee_application], [enrolled[m.pk] for m in mentors])
    next_rank = max((r.rank for r in open_requests), default=0) + 1
    now = timezone.now()
    # One at a time: only the first choice reaches its mentor; the rest wait their turn, and
    # requests added later join the end of the queue.
    in_order = program.request_order == Program.RequestOrder.IN_ORDER
    someone_has_it = any(r.status == MatchRequest.Status.PENDING for r in open_requests)
    created = []
    for offset, mentor in enumerate(mentors):
        sent = not in_order or (offset == 0 and not someone_has_it)
        request = MatchRequest.objects.create(
            program=program,
            mentee=mentee,
            mentor=mentor,
            rank=next_rank + offset,
            message=message,
            status=MatchRequest.Status.PENDING if sent else MatchRequest.Status.QUEUED,
            score=round(float(scored.scores[0, offset]), 1),
            explanation=scored.explain(0, offset),
            scored_at=now,
        )
        if sent:
            _deliver(request, now)
        created.append(request)
    return created


def _deliver(request: MatchRequest, now) -> None:
    """The request reaches its mentor: their reply days start now and they are told."""
    request.status = MatchRequest.Status.PENDING
    request.sent_at = now
    request.expires_at = now + timedelta(days=request.program.request_reply_days)
    request.save(update_fields=["status", "sent_at", "expires_at", "updated_at"])
    notify(
        kind="matching.request_received",
        recipient=request.mentor,
        target=request,
        context={"request": request, "program": request.program, "mentee": request.mentee},
        url=reverse("matching:requests_received"),
    )


def _mentor_can_take(program: Program, mentor: User, mentee: User) -> bool:
    application = (
        Application.objects.enrolled()
        .filter(program=program, person=mentor, role=Role.MENTOR)
        .select_related("program")
        .first()
    )
    if application is None or application.paused or not mentor.is_active:
        return False
    taken = Mentorship.objects.holding_place().filter(program=program, mentor=mentor).count()
    if taken >= application.mentor_capacity:
        return False
    return forbidden_pair_reason(mentor=mentor, mentee=mentee) is None


def request_pass_on(*, program: Program, mentee: User, now=None) -> MatchRequest | None:
    """The mentee's next queued choice reaches its mentor, if nobody has their request now.

    Queued choices whose mentor can no longer take them (left, paused, full) are skipped and
    withdrawn. Returns the request now with a mentor, or None (queue empty, or not needed).
    Runs inside the caller's transaction.
    """
    now = now or timezone.now()
    # Two pass-ons for one mentee at once (an expiry and a withdrawal): the lock on the
    # mentee's enrolment makes the second wait, then see the first one's pending request.
    Application.objects.select_for_update().filter(
        program=program, person=mentee, role=Role.MENTEE
    ).first()
    waiting = MatchRequest.objects.filter(program=program, mentee=mentee)
    if waiting.filter(status=MatchRequest.Status.PENDING).exists():
        return None
    if Mentorship.objects.holding_place().filter(program=program, mentee=mentee).exists():
        return None
    queued = list(
        waiting.filter(status=MatchRequest.Status.QUEUED)
        .select_related("program", "mentor", "mentee")
        .order_by("rank", "pk")
    )
    for request in queued:
        if not _mentor_can_take(program, request.mentor, mentee):
            MatchRequest.objects.filter(pk=request.pk, status=MatchRequest.Status.QUEUED).update(
                status=MatchRequest.Status.WITHDRAWN,
                answered_at=now,
                reply_reason=_("The mentor was no longer taking mentees when your turn came."),
                updated_at=now,
            )
            continue
        # Conditional update: whoever moves this queued request first is the only one to send it.
        if MatchRequest.objects.filter(pk=request.pk, status=MatchRequest.Status.QUEUED).update(
            status=MatchRequest.Status.PENDING, updated_at=now
        ):
            _deliver(request, now)
            return request
    return None


def _tell_mentee(kind: str, request: MatchRequest, passed_to: MatchRequest | None) -> None:
    """The mentee learns what happened to a request, and who has their request now."""
    notify(
        kind=kind,
        recipient=request.mentee,
        target=request,
        context={"request": request, "program": request.program, "passed_to": passed_to},
        url=reverse("matching:my_requests", args=[request.program.slug]),
    )


def _lock_open_request(request: MatchRequest) -> MatchRequest:
    # of=self: the joined program (and people) rows stay unlocked, so replies in one program
    # do not queue behind each other; the mentor's enrolment lock guards the places.
    locked = (
        MatchRequest.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=request.pk)
    )
    if locked.status != MatchRequest.Status.PENDING:
        raise ValidationError(
            _("This request is no longer open (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    if locked.expires_at <= timezone.now():
        raise ValidationError(_("This request has expired."))
    return locked


@transaction.atomic
def request_accept(*, request: MatchRequest, by: User) -> Mentorship:
    """The mentor says yes: the pair is made and the mentee's other requests are withdrawn."""
    request = _lock_open_request(request)
    if by.pk != request.mentor_id:
        raise ValidationError(_("Only the requested mentor can accept."))
    program = request.program
    gate = matching_gate_problems(program, by, Role.MENTOR)
    if gate:
        raise ValidationError(gate)
    needs_hr = program.hr_approves_pairs
    # The score the mentee chose by travels with the pair: never recomputed here.
    mentorship = mentorship_create(
        program=program,
        mentor=request.mentor,
        mentee=request.mentee,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.AWAITING_APPROVAL if needs_hr else Mentorship.Status.ACTIVE,
        score=request.score,
        explanation=request.explanation,
        scored_at=request.scored_at,
    )
    if needs_hr:
        mentorship.hr_decision = Mentorship.Decision.PENDING
        mentorship.sent_for_approval_at = timezone.now()
        mentorship.save(update_fields=["hr_decision", "sent_for_approval_at", "updated_at"])
    now = timezone.now()
    request.status = MatchRequest.Status.ACCEPTED
    request.answered_at = now
    request.mentorship = mentorship
    request.save(update_fields=["status", "answered_at", "mentorship", "updated_at"])
    notify(
        kind="matching.request_accepted",
        recipient=request.mentee,
        target=request,
        context={"request": request, "mentorship": mentorship, "needs_hr": needs_hr},
        url=mentorship_url(mentorship),
    )
    others = list(
        MatchRequest.objects.waiting()
        .select_for_update(of=("self",))
        .filter(program=program, mentee=request.mentee)
        .select_related("mentor")
        .order_by("pk")
    )
    for other in others:
        reached_mentor = other.status == MatchRequest.Status.PENDING
        other.status = MatchRequest.Status.WITHDRAWN
        other.answered_at = now
        other.save(update_fields=["status", "answered_at", "updated_at"])
        if not reached_mentor:
            continue  # a queued choice's mentor never saw it: nothing to tell them
        notify(
            kind="matching.request_withdrawn",
            recipient=other.mentor,
            target=other,
            context={"request": other, "program": program},
            url=reverse("matching:requests_received"),
        )
    return mentorship


@transaction.atomic
def request_decline(*, request: MatchRequest, reason: str, by: User) -> MatchRequest:
    request = _lock_open_request(request)
    if by.pk != request.mentor_id:
        raise ValidationError(_("Only the requested mentor can decline."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the mentee briefly why, so they can choose well.")}
        )
    request.status = MatchRequest.Status.DECLINED
    request.reply_reason = reason
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "reply_reason", "answered_at", "updated_at"])
    passed_to = request_pass_on(program=request.program, mentee=request.mentee)
    _tell_mentee("matching.request_declined", request, passed_to)
    return request


@transaction.atomic
def request_withdraw(*, request: MatchRequest, by: User) -> MatchRequest:
    """The mentee takes a request back; if it was with its mentor, the next choice gets it."""
    locked = (
        MatchRequest.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=request.pk)
    )
    if locked.status == MatchRequest.Status.PENDING:
        locked = _lock_open_request(locked)
    elif locked.status != MatchRequest.Status.QUEUED:
        raise ValidationError(
            _("This request is no longer open (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    request = locked
    if by.pk != request.mentee_id:
        raise ValidationError(_("Only the mentee who sent a request can withdraw it."))
    was_with_mentor = request.status == MatchRequest.Status.PENDING
    request.status = MatchRequest.Status.WITHDRAWN
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    if was_with_mentor:
        request.passed_to = request_pass_on(program=request.program, mentee=request.mentee)
    else:
        request.passed_to = None
    return request


def requests_expire(now=None) -> int:
    """Requests past their reply deadline expire, the next queued choice gets the request, and
    the mentee is told (each once)."""
    now = now or timezone.now()
    expired = 0
    due = list(
        MatchRequest.objects.open()
        .filter(expires_at__lte=now)
        .select_related("program", "mentee", "mentor")
    )
    for request in due:
        with transaction.atomic():
            # Conditional update: a mentor accepting at this very moment wins or loses cleanly.
            if not MatchRequest.objects.filter(
                pk=request.pk, status=MatchRequest.Status.PENDING
            ).update(status=MatchRequest.Status.EXPIRED, answered_at=now, updated_at=now):
                continue
            expired += 1
            request.status = MatchRequest.Status.EXPIRED
            passed_to = request_pass_on(program=request.program, mentee=request.mentee, now=now)
            _tell_mentee("matching.request_expired", request, passed_to)
    return expired


@transaction.atomic
def requests_release(*, person: User) -> int:
    """`person` left (deactivated): requests they hold as mentor pass on to each mentee's next
    choice, mentees told; requests they sent as mentee are withdrawn. Returns how many moved."""
    now = timezone.now()
    held = list(
        MatchRequest.objects.waiting()
        .filter(Q(mentor=person) | Q(mentee=person))
        .select_for_update(of=("self",))
        .select_related("program", "mentee", "mentor")
        .order_by("pk")
    )
    for request in held:
        reached_mentor = request.status == MatchRequest.Status.PENDING
        request.status = MatchRequest.Status.WITHDRAWN
        request.answered_at = now
        if request.mentor_id == person.pk:
            request.reply_reason = _("%(name)s is no longer available as a mentor.") % {
                "name": person
            }
        request.save(update_fields=["status", "answered_at", "reply_reason", "updated_at"])
        if request.mentor_id != person.pk:
            if reached_mentor:
                notify(
                    kind="matching.request_withdrawn",
                    recipient=request.mentor,
                    target=request,
                    context={"request": request, "program": request.program},
                    url=reverse("matching:requests_received"),
                )
            continue
        passed_to = (
            request_pass_on(program=request.program, mentee=request.mentee, now=now)
            if reached_mentor
            else None
        )
        _tell_mentee("matching.request_mentor_left", request, passed_to)
    return len(held)


def person_deactivated(*, person: User, by: User | None = None) -> None:
    """people.hooks.person_deactivated: their requests pass on (see `requests_release`)."""
    requests_release(person=person)


@transaction.atomic
def mentor_availability_set(*, program: Program, mentor: User, paused: bool) -> Application:
    """A mentor stops (or starts again) taking new requests; their pairs and open requests stay."""
    application = (
        Application.objects.enrolled()
        .select_for_update()
        .filter(program=program, person=mentor, role=Role.MENTOR)
        .first()
    )
    if application is None:
        raise ValidationError(_("You are not a mentor in this program."))
    if application.paused != paused:
        application.paused = paused
        application.save(update_fields=["paused", "updated_at"])
    return application


# --- HR in a catalogue program ----------------------------------------------------------------


def _check_catalogue_program(program: Program) -> None:
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        raise ValidationError(_("This program has no mentor catalogue: HR forms its pairs."))
    if program.status not in MATCHING_OPEN:
        raise ValidationError(_("This can be done once the program reaches its matching phase."))


def nudges_send(*, program: Program, kind: str, by: User) -> int:
    """Remind, once per program, the mentees who sent no request (`NUDGE_MENTEES`) or the
    mentors with a request waiting for their answer (`NUDGE_MENTORS`). Returns how many were
    reminded now; nobody is reminded twice, whoever clicks and however often."""
    from .selectors import NUDGE_MENTEES, NUDGE_MENTORS, nudge_targets

    _check_catalogue_program(program)
    if kind not in (NUDGE_MENTEES, NUDGE_MENTORS):
        raise ValidationError(_("Choose whom to remind."))
    if kind == NUDGE_MENTEES:
        url = reverse("matching:catalogue", args=[program.slug])
    else:
        url = reverse("matching:requests_received")
    sent = 0
    for person in nudge_targets(program)[kind]:
        # The notification's unique key (kind, program, person) is what makes it once only,
        # even for two HR admins clicking at the same moment.
        if notify(
            kind=kind,
            recipient=person,
            target=program,
            context={"program": program, "by": by},
            url=url,
        ):
            sent += 1
    return sent


@transaction.atomic
def pair_propose_for_mentee(*, program: Program, mentee: User, mentor: User, by: User):
    """HR proposes a mentor on a mentee's behalf: the mentor is asked to confirm (as in HR's
    proposals), the mentee's waiting requests are withdrawn, and both are told."""
    _check_catalogue_program(program)
    # HR proposing while a mentor accepts one of this mentee's requests: locking the
    # mentee's waiting requests first (in the order every writer locks them) makes one wait
    # for the other; the loser is refused by the one-current-pair-per-mentee constraint.
    waiting = list(
        MatchRequest.objects.waiting()
        .select_for_update(of=("self",))
        .filter(program=program, mentee=mentee)
        .select_related("mentor")
        .order_by("pk")
    )
    score, explanation = pair_score(program, mentee, mentor)
    mentorship = mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.AWAITING_APPROVAL,
        score=score,
        explanation=explanation,
    )
    now = timezone.now()
    mentorship.mentor_decision = Mentorship.Decision.PENDING
    mentorship.sent_for_approval_at = now
    mentorship.save(update_fields=["mentor_decision", "sent_for_approval_at", "updated_at"])
    notify(
        kind="matching.pairing_to_confirm",
        recipient=mentor,
        target=mentorship,
        context={"mentorship": mentorship},
        url=reverse("matching:approvals"),
    )
    for request in waiting:
        reached_mentor = request.status == MatchRequest.Status.PENDING
        request.status = MatchRequest.Status.WITHDRAWN
        request.answered_at = now
        request.save(update_fields=["status", "answered_at", "updated_at"])
        if reached_mentor:
            notify(
                kind="matching.request_withdrawn",
                recipient=request.mentor,
                target=request,
                context={"request": request, "program": program},
                url=reverse("matching:requests_received"),
            )
    notify(
        kind="matching.pairing_proposed_to_mentee",
        recipient=mentee,
        target=mentorship,
        context={"mentorship": mentorship, "withdrawn": len(waiting)},
        url=reverse("matching:my_requests", args=[program.slug]),
    )
    return mentorship


def unmatched_warnings(program: Program, to: str) -> list[str]:
    """programs.hooks.status_change_warnings: before a program starts running, everyone who
    still has no mentor, with why."""
    if to != Program.Status.RUNNING:
        return []
    from .selectors import program_unmatched_mentees, unmatched_reasons

    mentees = list(program_unmatched_mentees(program)[: UNMATCHED_LISTED + 1])
    if not mentees:
        return []
    shown = mentees[:UNMATCHED_LISTED]
    unmatched_reasons(program, shown)
    total = program_unmatched_mentees(program).count()
    warnings = [
        ngettext(
            "%(n)d mentee still has no mentor and will start the program without one.",
            "%(n)d mentees still have no mentor and will start the program without one.",
            total,
        )
        % {"n": total}
    ]
    warnings += [
        _("%(name)s: %(reason)s") % {"name": m.person, "reason": " ".join(m.reasons)} for m in shown
    ]
    if total > len(shown):
        warnings.append(_("…and %(n)d more.") % {"n": total - len(shown)})
    return warnings


UNMATCHED_LISTED = 30
