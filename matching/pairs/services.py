"""The pair's life: made (from a request, a proposal or by HR), started, ended early, closed."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from notifications.services import notify
from people.models import User
from programs.hooks import ClosingEffect
from programs.models import Application, Program, Role

from ..hooks import mentorship_ended, mentorship_started
from ..models import Mentorship
from .selectors import enrolment, forbidden_pair_reason, repeated_pair_reason


def _tell(hook, mentorship: Mentorship) -> None:
    for listener in hook:
        listener(mentorship)


def _claim_mentor_place(program: Program, mentor: User) -> Application:
    # Locking the mentor's enrolment serialises everyone who wants one of their places,
    # so two accepts (or an accept and an HR proposal) cannot both take the last one.
    application = (
        Application.objects.enrolled()
        .select_for_update()
        .filter(program=program, person=mentor, role=Role.MENTOR)
        .first()
    )
    if application is None:
        raise ValidationError(_("%(name)s is not a mentor in this program.") % {"name": mentor})
    taken = Mentorship.objects.holding_place().filter(program=program, mentor=mentor).count()
    if taken >= application.mentor_capacity:
        raise ValidationError(_("%(name)s has no places left in this program.") % {"name": mentor})
    return application


def pair_rule_override_check(
    *, mentor: User, mentee: User, override_reason: str = "", by: User | None = None
) -> str:
    """Check the pairing rules for a new pair; return the override reason to keep ("" if none).

    The rules nobody may break raise at once. The never-again rule raises with the code
    "repeated_pair" unless HR gives a reason to go ahead anyway.
    """
    reason = forbidden_pair_reason(mentor=mentor, mentee=mentee, repeat_allowed=True)
    if reason:
        raise ValidationError(reason)
    repeated = repeated_pair_reason(mentor=mentor, mentee=mentee)
    if not repeated:
        return ""
    override_reason = override_reason.strip()
    if not override_reason:
        raise ValidationError(repeated, code="repeated_pair")
    if by is None or not by.is_hr:
        raise ValidationError(_("Only HR can pair people against the never-again rule."))
    return override_reason


def pair_rule_override_record(*, mentorship: Mentorship, by: User) -> None:
    """The audit entry of a pair HR made against the never-again rule."""
    audit_record(
        actor=by,
        action=Action.PAIR_RULE_OVERRIDDEN,
        target=mentorship,
        person=mentorship.mentee,
        details={
            "program": mentorship.program.name,
            "mentor": mentorship.mentor.email,
            "mentee": mentorship.mentee.email,
            "reason": mentorship.override_reason,
        },
    )


def _mentorship_insert(mentorship: Mentorship) -> Mentorship:
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s already has a mentor, or one waiting for approval, in this program.")
            % {"name": mentorship.mentee}
        ) from exc
    return mentorship


@transaction.atomic
def mentorship_create(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    origin: str,
    status: str,
    score: float | None = None,
    explanation: list | None = None,
    scored_at=None,
    locked: bool = False,
    override_reason: str = "",
    by: User | None = None,
) -> Mentorship:
    """A new pair (a draft proposal, a pair awaiting approval, or an active one).

    `score`, `explanation` and `scored_at` are what the deciding person saw; they are kept as
    they are and never recomputed (pass the request's values when a request becomes a pair).
    A pair the never-again rule forbids is refused (code "repeated_pair") unless HR (`by`)
    gives an `override_reason`, which is kept on the pair and in the audit log.
    """
    if enrolment(program, mentee, Role.MENTEE) is None:
        raise ValidationError(_("%(name)s is not a mentee in this program.") % {"name": mentee})
    override_reason = pair_rule_override_check(
        mentor=mentor, mentee=mentee, override_reason=override_reason, by=by
    )
    _claim_mentor_place(program, mentor)
    mentorship = _mentorship_insert(
        Mentorship(
            program=program,
            mentor=mentor,
            mentee=mentee,
            origin=origin,
            status=status,
            score=score,
            explanation=explanation or [],
            scored_at=scored_at or (timezone.now() if score is not None else None),
            locked=locked,
            override_reason=override_reason,
            overridden_by=by if override_reason else None,
        )
    )
    if override_reason:
        pair_rule_override_record(mentorship=mentorship, by=by)
    if status == Mentorship.Status.ACTIVE:
        mentorship_start(mentorship=mentorship)
    return mentorship


def partnership_dates(program: Program, today=None):
    start = max(today or timezone.localdate(), program.starts_on)
    deadline = min(start + timedelta(weeks=program.partnership_weeks), program.ends_on)
    if deadline <= start:
        deadline = start + timedelta(days=1)
    return start, deadline


def mentorship_url(mentorship: Mentorship) -> str:
    return reverse("matching:mentorship", args=[mentorship.code])


@transaction.atomic
def mentorship_start(*, mentorship: Mentorship) -> Mentorship:
    """All approvals are in: the pair starts, with its deadline, and both are told."""
    mentorship.starts_on, mentorship.deadline = partnership_dates(mentorship.program)
    mentorship.status = Mentorship.Status.ACTIVE
    mentorship.activated_at = timezone.now()
    mentorship.save(update_fields=["starts_on", "deadline", "status", "activated_at", "updated_at"])
    url = mentorship_url(mentorship)
    for person, other in (
        (mentorship.mentor, mentorship.mentee),
        (mentorship.mentee, mentorship.mentor),
    ):
        notify(
            kind="matching.mentorship_started",
            recipient=person,
            target=mentorship,
            context={"mentorship": mentorship, "other": other, "program": mentorship.program},
            url=url,
        )
    transaction.on_commit(lambda: _tell(mentorship_started, mentorship))
    return mentorship


@transaction.atomic
def mentorship_end_early(*, mentorship: Mentorship, reason: str, by: User) -> Mentorship:
    """A member or HR ends the pair: the mentor's place is freed, the mentee may match again."""
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id) and not by.is_hr:
        raise ValidationError(_("Only the mentor, the mentee or HR can end this partnership."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why the partnership ends.")})
    ended = Mentorship.objects.filter(
        pk=mentorship.pk,
        status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.AWAITING_APPROVAL],
    ).update(
        status=Mentorship.Status.ENDED_EARLY,
        end_reason=reason,
        ended_by=by,
        ended_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not ended:
        raise ValidationError(_("This partnership has already ended."))
    mentorship.refresh_from_db()
    transaction.on_commit(lambda: _tell(mentorship_ended, mentorship))
    for person in (mentorship.mentor, mentorship.mentee):
        if person.pk != by.pk:
            notify(
                kind="matching.mentorship_ended",
                recipient=person,
                target=mentorship,
                context={"mentorship": mentorship, "by": by, "reason": reason},
                url=mentorship_url(mentorship),
            )
    return mentorship


# --- closing a program ---------------------------------------------------------------


def program_closing_effect(program: Program) -> ClosingEffect | None:
    current = Mentorship.objects.holding_place().filter(program=program)
    count = current.count()

    def apply() -> None:
        now = timezone.now()
        current.filter(status=Mentorship.Status.ACTIVE).update(
            status=Mentorship.Status.COMPLETED, ended_at=now, updated_at=now
        )
        # Drafts nobody saw leave no trace (the never-again rule ignores drafts); published
        # pairings awaiting approval are dropped as not approved.
        current.filter(status=Mentorship.Status.PROPOSED).delete()
        current.filter(status=Mentorship.Status.AWAITING_APPROVAL).update(
            status=Mentorship.Status.DECLINED, updated_at=now
        )

    return ClosingEffect(
        count=count,
        description=_(
            "%(n)d current pairs: active ones are marked completed (their goals and notes stay "
            "readable), proposals and pairings awaiting approval are dropped."
        )
        % {"n": count},
        apply=apply,
    )


def personal_data_erase(*, person: User) -> None:
    """The `people.personal_data_erase` item: texts the person wrote on pairs and requests."""
    from people.personal_data import ERASED_TEXT

    from ..models import MatchRequest

    MatchRequest.objects.filter(mentee=person).exclude(message="").update(message=ERASED_TEXT)
    MatchRequest.objects.filter(mentor=person).exclude(reply_reason="").update(
        reply_reason=ERASED_TEXT
    )
    Mentorship.objects.filter(mentor=person).exclude(mentor_comment="").update(
        mentor_comment=ERASED_TEXT
    )
    Mentorship.objects.filter(manager_decided_by=person).exclude(manager_comment="").update(
        manager_comment=ERASED_TEXT
    )
    Mentorship.objects.filter(ended_by=person).exclude(end_reason="").update(end_reason=ERASED_TEXT)


def personal_data_expiry(program: Program):
    """The `programs.program_personal_data_expire` item of stage 3: what people wrote
    about requests and pairs. Pairs, scores, statuses and dates stay."""
    from programs.retention.services import expiry

    from ..models import MatchRequest

    requests = MatchRequest.objects.filter(program=program)
    pairs = Mentorship.objects.filter(program=program)
    return expiry(
        _(
            "Matching: messages of mentees' requests and mentors' reasons for declining; "
            "comments on pairings, HR's reasons for pairs made against the rules and reasons "
            "for ending pairs; the emails about them. Pairs, scores, statuses and dates stay."
        ),
        [
            (requests, "message"),
            (requests, "reply_reason"),
            (pairs, "override_reason"),
            (pairs, "manager_comment"),
            (pairs, "mentor_comment"),
            (pairs, "end_reason"),
        ],
        emails_about=[requests, pairs],
    )
