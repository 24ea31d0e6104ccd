"""Writes of stage 2 outreach: HR's direct invitations, manager recommendations, referrals.

Every invitation carries a token: its link lands on the program page (marking it opened),
applying marks it applied, and the person can decline it. Referrers never learn the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..definition.selectors import eligibility_problems
from ..models import (
    Appeal,
    Application,
    Outreach,
    Program,
    Recommendation,
    Referral,
    Role,
    new_token,
)
from .selectors import OUTREACH_MODELS, appeal_candidates, outreach_find

# A personal message to more people than this is not personal: HR sends in batches.
MAX_APPEAL_BATCH = 200


# Joins application_submit's transaction, without a savepoint.
@transaction.atomic(savepoint=False)
def outreach_mark_applied(*, application: Application) -> int:
    """The person applied: every open invitation to that program and role counts as answered."""
    now = timezone.now()
    updated = 0
    for model in OUTREACH_MODELS:
        updated += model.objects.filter(
            program_id=application.program_id,
            person_id=application.person_id,
            role=application.role,
            status__in=[Outreach.Status.SENT, Outreach.Status.OPENED],
        ).update(status=Outreach.Status.APPLIED, answered_at=now, updated_at=now)
    return updated


# --- shared ------------------------------------------------------------------------


def outreach_urls(item: Outreach) -> dict[str, str]:
    return {
        "url": reverse("programs:outreach_open", args=[item.token]),
        "decline_url": reverse("programs:outreach_decline", args=[item.token]),
    }


def _require_recruiting(program: Program) -> None:
    if not program.is_recruiting():
        raise ValidationError(_("This program is not recruiting right now."))


def _clean_text(text: str, *, required_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(required_message)
    if len(text) > 2000:
        raise ValidationError(_("Keep it under 2000 characters."))
    return text


def _has_active_application(program: Program, person) -> bool:
    return Application.objects.active().filter(program=program, person=person).exists()


# --- direct invitations (HR) ---------------------------------------------------------


@transaction.atomic
def appeals_send(*, program: Program, role: str, people, message: str, by) -> list[Appeal]:
    """Invite `people` as `role`; returns the invitations this call created.

    Anyone no longer a candidate (already invited, applied, not eligible) is skipped, so a
    double submit invites nobody twice.
    """
    _require_recruiting(program)
    if role not in Role.values:
        raise ValidationError(_("Choose whether you invite mentors or mentees."))
    message = _clean_text(message, required_message=_("Write a short personal message."))
    wanted = {getattr(person, "pk", person) for person in people}
    if len(wanted) > MAX_APPEAL_BATCH:
        raise ValidationError(
            _("Invite at most %(count)d people at a time.") % {"count": MAX_APPEAL_BATCH}
        )
    ids = list(
        appeal_candidates(program=program, role=role)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    tokens = [new_token() for _pk in ids]
    # Two submits racing past the candidate check: the unique (program, role, person)
    # index drops the second insert, and each call only emails the rows with its tokens.
    Appeal.objects.bulk_create(
        [
            Appeal(program=program, role=role, person_id=pk, by=by, message=message, token=token)
            for pk, token in zip(ids, tokens, strict=True)
        ],
        ignore_conflicts=True,
    )
    created = list(Appeal.objects.filter(token__in=tokens).select_related("person"))
    if created:
        from .tasks import appeal_send_emails

        appeal_ids = [appeal.pk for appeal in created]
        transaction.on_commit(lambda: appeal_send_emails.delay(appeal_ids))
    return created


def appeals_notify(*, appeal_ids: Iterable[int]) -> int:
    """Email each invitation (once: `notify` records it under a unique key).

    Not one transaction: each notification commits on its own, so a batch that fails half
    way keeps the emails already queued and a retry skips them.
    """
    from notifications.services import notify

    sent = 0
    appeals = Appeal.objects.filter(pk__in=list(appeal_ids), status=Outreach.Status.SENT)
    for appeal in appeals.select_related("program", "person", "by"):
        urls = outreach_urls(appeal)
        notification = notify(
            kind="programs.appeal",
            recipient=appeal.person,
            target=appeal,
            context={
                "program": appeal.program,
                "outreach": appeal,
                "message": appeal.message,
                "by": appeal.by,
                "decline_url": urls["decline_url"],
            },
            url=urls["url"],
        )
        sent += notification is not None
    return sent


# --- manager recommendations ----------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *, program: Program, person, role: str, reason: str, by
) -> Recommendation:
    """A manager proposes one of their reports; the person is invited to apply."""
    if person.manager_id != by.pk:
        raise ValidationError(_("You can only recommend people who report to you."))
    _require_recruiting(program)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose mentor or mentee.")})
    reason = _clean_text(reason, required_message=_("Say why you recommend them."))
    problems = eligibility_problems(program, person)
    if problems:
        raise ValidationError(
            _("%(name)s cannot take part in this program: %(problems)s")
            % {"name": person, "problems": " ".join(problems)}
        )
    if _has_active_application(program, person):
        raise ValidationError(_("%(name)s has already applied to this program.") % {"name": person})
    if Recommendation.objects.filter(program=program, role=role, person=person).exists():
        raise ValidationError(
            _("%(name)s has already been recommended for this program as %(role)s.")
            % {"name": person, "role": Role(role).label}
        )
    try:
        # Two recommendations submitted at once: the unique index lets one through.
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                program=program, person=person, role=role, message=reason, by=by
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already been recommended for this program as %(role)s.")
            % {"name": person, "role": Role(role).label}
        ) from None
    _invite(recommendation, kind="programs.recommendation_received", manager=by)
    return recommendation


# --- colleague referrals -------------------------------------------------------------


@transaction.atomic
def referral_create(*, program: Program, person, reason: str, by) -> Referral:
    """An employee suggests a colleague as a mentor. The colleague is invited without
    learning who suggested them, and the referrer is told nothing of what follows."""
    if person.pk == by.pk:
        raise ValidationError(_("You cannot suggest yourself: apply from the program page."))
    _require_recruiting(program)
    reason = _clean_text(reason, required_message=_("Say why they would be a good mentor."))
    role = Role.MENTOR
    if Referral.objects.filter(program=program, role=role, person=person, by=by).exists():
        raise ValidationError(
            _("You have already suggested %(name)s for this program. Thank you!") % {"name": person}
        )
    # One neutral message for "not eligible" and "already applied", so a referral cannot
    # be used to find out whether a colleague applied.
    if eligibility_problems(program, person) or _has_active_application(program, person):
        raise ValidationError(
            _("%(name)s cannot be suggested for this program. Thank you for thinking of them.")
            % {"name": person}
        )
    earlier = (
        Referral.objects.filter(program=program, role=role, person=person)
        .order_by("created_at")
        .first()
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                program=program, person=person, role=role, message=reason, by=by
            )
    except IntegrityError:  # the same referrer submitting twice at once
        raise ValidationError(
            _("You have already suggested %(name)s for this program. Thank you!") % {"name": person}
        ) from None
    if earlier is None:
        _invite(referral, kind="programs.referral_received")
    else:
        # Invited once already: record the suggestion for HR, follow the first invitation.
        Referral.objects.filter(pk=referral.pk).update(
            status=earlier.status, opened_at=earlier.opened_at, answered_at=earlier.answered_at
        )
    return referral


def _invite(item: Outreach, *, kind: str, **context) -> None:
    from notifications.services import notify

    urls = outreach_urls(item)
    notify(
        kind=kind,
        recipient=item.person,
        target=item,
        context={
            "program": item.program,
            "outreach": item,
            "reason": item.message,
            "decline_url": urls["decline_url"],
            **context,
        },
        url=urls["url"],
    )


# --- the invited person's answer -----------------------------------------------------


@transaction.atomic
def outreach_open(*, token: str) -> Outreach:
    """The invited person followed the link: marked opened the first time only."""
    item = outreach_find(token=token)
    if item is None:
        raise ObjectDoesNotExist(token)
    now = timezone.now()
    # Conditional update: two clicks at once record one opening, and an answer stays.
    type(item).objects.filter(pk=item.pk, opened_at__isnull=True).update(
        opened_at=now, updated_at=now
    )
    type(item).objects.filter(pk=item.pk, status=Outreach.Status.SENT).update(
        status=Outreach.Status.OPENED, updated_at=now
    )
    item.refresh_from_db(fields=["status", "opened_at", "updated_at"])
    return item


@transaction.atomic
def outreach_decline(*, token: str) -> Outreach:
    """No, thank you. Declining twice changes nothing; after applying it is refused."""
    item = outreach_find(token=token)
    if item is None:
        raise ObjectDoesNotExist(token)
    if item.status == Outreach.Status.APPLIED:
        raise ValidationError(
            _("You have already applied. To leave, withdraw your application instead.")
        )
    now = timezone.now()
    type(item).objects.filter(
        pk=item.pk, status__in=[Outreach.Status.SENT, Outreach.Status.OPENED]
    ).update(status=Outreach.Status.DECLINED, answered_at=now, updated_at=now)
    item.refresh_from_db(fields=["status", "answered_at", "updated_at"])
    return item
