"""The end of a partnership: both rate the goals and reflect, then close, or HR extends it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from programs.hooks import ClosingEffect
from programs.models import Program

from ..agreements.services import agreement_get_or_open, agreement_reset_for_extension
from ..common import (
    hr_contacts,
    other_member,
    pair_url,
    partnership_deadline,
    require_active,
    require_member,
)
from ..meetings.services import cancel_future_meetings
from ..models import ClosingReview, Extension, Goal, GoalRating, Meeting
from .selectors import CLOSING_OPENS_DAYS, closing_available, closing_problems, closing_url


@transaction.atomic
def closing_review_submit(
    *, mentorship: Mentorship, by, ratings: dict[int, str], reflection: str
) -> ClosingReview:
    """A member rates every goal (achieved, partly, not) and writes a final reflection."""
    role = require_member(mentorship, by)
    require_active(mentorship)
    if not closing_available(mentorship):
        raise ValidationError(
            _("The closing review opens %(days)d days before the deadline.")
            % {"days": CLOSING_OPENS_DAYS}
        )
    reflection = reflection.strip()
    if not reflection:
        raise ValidationError({"reflection": _("Write a few lines about what you take away.")})
    goals = list(Goal.objects.open().filter(mentorship=mentorship))
    missing = [g.title for g in goals if ratings.get(g.pk) not in GoalRating.Rating.values]
    if missing:
        raise ValidationError(_("Rate every goal: %(goals)s.") % {"goals": ", ".join(missing[:5])})
    review, created = ClosingReview.objects.update_or_create(
        mentorship=mentorship, role=role, defaults={"author": by, "reflection": reflection}
    )
    for goal in goals:
        GoalRating.objects.update_or_create(
            review=review, goal=goal, defaults={"rating": ratings[goal.pk]}
        )
    if created:
        notify(
            kind="goals.closing_submitted",
            recipient=other_member(mentorship, by),
            target=mentorship,
            occasion=f"closing-{role}",
            context={"mentorship": mentorship, "by": by},
            url=closing_url(mentorship),
        )
    return review


@transaction.atomic
def mentorship_close(*, mentorship: Mentorship, by) -> Mentorship:
    """Both reviews are in: the partnership is completed; meetings still ahead are cancelled."""
    require_member(mentorship, by)
    require_active(mentorship)
    problems = closing_problems(mentorship)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    # Conditional update: closing twice at once (or with HR ending it) completes it once.
    closed = Mentorship.objects.filter(pk=mentorship.pk, status=Mentorship.Status.ACTIVE).update(
        status=Mentorship.Status.COMPLETED, ended_at=now, ended_by=by, updated_at=now
    )
    if not closed:
        raise ValidationError(_("This partnership has already ended."))
    cancel_future_meetings(mentorship)
    mentorship.refresh_from_db()
    notify(
        kind="goals.mentorship_closed",
        recipient=other_member(mentorship, by),
        target=mentorship,
        occasion="closed",
        context={"mentorship": mentorship, "by": by},
        url=pair_url(mentorship),
    )
    return mentorship


# --- extensions ----------------------------------------------------------------------


@transaction.atomic
def extension_request(*, mentorship: Mentorship, by, new_deadline: date, reason: str) -> Extension:
    """A member asks HR for more time; the new deadline stays within the program."""
    require_member(mentorship, by)
    require_active(mentorship)
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Tell HR why you need more time.")
    current = partnership_deadline(mentorship)
    ends_on = mentorship.program.ends_on
    if new_deadline <= current:
        errors["new_deadline"] = _("Choose a date after the current deadline (%(date)s).") % {
            "date": date_format(current, "DATE_FORMAT")
        }
    elif new_deadline > ends_on:
        errors["new_deadline"] = _("The deadline cannot be after the program ends (%(date)s).") % {
            "date": date_format(ends_on, "DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                mentorship=mentorship, requested_by=by, new_deadline=new_deadline, reason=reason
            )
    except IntegrityError as exc:
        raise ValidationError(_("An extension request is already waiting for HR.")) from exc
    for person in hr_contacts(mentorship.program):
        notify(
            kind="goals.extension_requested",
            recipient=person,
            target=extension,
            context={"extension": extension, "mentorship": mentorship, "by": by},
            url=reverse("goals:extension_decide", args=[extension.code]),
        )
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, by, approve: bool, comment: str = "") -> Extension:
    """HR approves (the deadline moves and both sign the agreement again) or declines."""
    if not by.is_hr:
        raise ValidationError(_("Only HR can decide on extensions."))
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    mentorship = Mentorship.objects.select_related("program", "mentor", "mentee").get(
        pk=extension.mentorship_id
    )
    comment = comment.strip()
    if approve:
        require_active(mentorship)
        if extension.new_deadline > mentorship.program.ends_on:
            raise ValidationError(_("The new deadline is after the program ends."))
    elif not comment:
        raise ValidationError({"comment": _("Tell the pair why.")})
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.DECLINED
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_comment = comment
    extension.save()
    if approve:
        agreement = agreement_get_or_open(mentorship=mentorship)
        if agreement is not None:
            agreement_reset_for_extension(agreement=agreement, deadline=extension.new_deadline)
        else:
            Mentorship.objects.filter(pk=mentorship.pk).update(deadline=extension.new_deadline)
    for person in (mentorship.mentor, mentorship.mentee):
        notify(
            kind="goals.extension_decided",
            recipient=person,
            target=extension,
            context={"extension": extension, "mentorship": mentorship, "approved": approve},
            url=pair_url(mentorship),
        )
    return extension


# --- closing a whole program -----------------------------------------------------------


def program_closing_effect(program: Program) -> ClosingEffect | None:
    upcoming = Meeting.objects.upcoming().filter(
        mentorship__program=program, mentorship__status=Mentorship.Status.ACTIVE
    )
    # Taken now: matching's own hook completes the pairs before this one applies.
    pair_ids = set(upcoming.values_list("mentorship_id", flat=True))
    count = upcoming.count()

    def apply() -> None:
        pairs = Mentorship.objects.filter(pk__in=pair_ids).select_related(
            "mentor", "mentee", "program"
        )
        for mentorship in pairs:
            cancel_future_meetings(mentorship)

    return ClosingEffect(
        count=count,
        description=_(
            "%(n)d scheduled meetings are cancelled; both members get the cancellation for "
            "their calendars."
        )
        % {"n": count},
        apply=apply,
    )
