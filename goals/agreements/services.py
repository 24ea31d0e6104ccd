"""The mentoring agreement: opened when a pair starts, edited by its members, signed by both.

Also HR's settings of a program (`ProgramSettings`): the ground rules and confidentiality
text every new agreement starts from, and how soon the goals are due.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from programs.models import Program

from ..common import (
    MENTOR,
    conflict_error,
    other_member,
    partnership_start,
    require_active,
    require_member,
)
from ..models import Agreement, AgreementSignature, Goal, ProgramSettings

AGREEMENT_FIELDS = ("ground_rules", "cadence_days", "meeting_format", "confidentiality", "deadline")


def default_ground_rules() -> str:
    return "\n".join(
        [
            _("- We meet at the agreed cadence and say so in advance when we cannot make it."),
            _("- We come prepared: the mentee brings topics, the mentor brings questions."),
            _("- We give each other honest, respectful feedback."),
            _("- We review our goals and action plan together at least once a month."),
            _("- Either of us may end the partnership early, saying why, if it no longer helps."),
        ]
    )


def default_confidentiality() -> str:
    return _(
        "What we talk about stays between us. Neither of us shares the other's personal matters "
        "without permission. Managers and HR see only whether we meet and how our goals "
        "progress, never our notes."
    )


def _program_template(program: Program) -> ProgramSettings:
    """The program's planning settings, or (unsaved) the defaults in HR's language."""
    found = ProgramSettings.objects.filter(program=program).first()
    if found is not None:
        return found
    with translation.override(program.created_by.language):
        return ProgramSettings(
            program=program,
            ground_rules=default_ground_rules(),
            confidentiality=default_confidentiality(),
        )


def program_settings_for(program: Program) -> ProgramSettings:
    """The program's planning settings, created with defaults (in HR's language) the first time."""
    template = _program_template(program)
    if template.pk is not None:
        return template
    try:
        with transaction.atomic():
            template.save()
            return template
    except IntegrityError:  # two first visits at once: the other one created it
        return ProgramSettings.objects.get(program=program)


@transaction.atomic
def program_settings_save(*, settings: ProgramSettings, by) -> ProgramSettings:
    if not by.is_hr:
        raise ValidationError(_("Only HR can change these settings."))
    settings.ground_rules = settings.ground_rules.strip()
    settings.confidentiality = settings.confidentiality.strip()
    if not settings.ground_rules:
        raise ValidationError({"ground_rules": _("Write at least one ground rule.")})
    settings.save()
    return settings


def _cadence_for(program: Program) -> int:
    days = program.meeting_every_days
    return days if days in Agreement.Cadence.values else Agreement.Cadence.FORTNIGHTLY


@transaction.atomic
def agreement_open(*, mentorship: Mentorship) -> Agreement:
    """The pair's agreement, opened from the program's template. Safe to call again."""
    found = Agreement.objects.filter(mentorship=mentorship).first()
    if found is not None:
        return found
    program_settings_for(mentorship.program)
    try:
        with transaction.atomic():
            draft = _draft(mentorship)
            draft.save()
            return draft
    except IntegrityError:  # the signal and a first change at the same moment
        return Agreement.objects.get(mentorship=mentorship)


def _draft(mentorship: Mentorship) -> Agreement:
    program = mentorship.program
    template = _program_template(program)
    return Agreement(
        mentorship=mentorship,
        ground_rules=template.ground_rules,
        confidentiality=template.confidentiality,
        cadence_days=_cadence_for(program),
        deadline=mentorship.deadline or program.default_deadline,
    )


def agreement_for(mentorship: Mentorship) -> Agreement | None:
    """The agreement of a pair, for reading: pages never write on GET.

    An active pair from before agreements existed has none yet: it gets the unsaved draft
    it would open with (no primary key), saved by the first change or signature
    (`agreement_get_or_open`).
    """
    found = Agreement.objects.filter(mentorship=mentorship).first()
    if found is None and mentorship.status == Mentorship.Status.ACTIVE:
        found = _draft(mentorship)
    return found


def agreement_get_or_open(*, mentorship: Mentorship) -> Agreement | None:
    """The agreement of a pair, for a change: opened first for an active pair without one."""
    found = Agreement.objects.filter(mentorship=mentorship).first()
    if found is None and mentorship.status == Mentorship.Status.ACTIVE:
        found = agreement_open(mentorship=mentorship)
    return found


def validate_deadline(mentorship: Mentorship, deadline: date, *, field: str = "deadline") -> None:
    program = mentorship.program
    start = partnership_start(mentorship)
    if deadline <= start:
        raise ValidationError({field: _("The deadline must come after the partnership starts.")})
    if deadline > program.ends_on:
        raise ValidationError(
            {
                field: _("The deadline cannot be after the program ends (%(date)s).")
                % {"date": date_format(program.ends_on, "DATE_FORMAT")}
            }
        )
    if deadline != mentorship.deadline and deadline < timezone.localdate():
        raise ValidationError({field: _("Choose a deadline that has not passed.")})
    late = list(
        Goal.objects.open()
        .filter(mentorship=mentorship, target_date__gt=deadline)
        .values_list("title", flat=True)[:5]
    )
    if late:
        raise ValidationError(
            {
                field: _("Move the target dates of these goals first: %(goals)s.")
                % {"goals": ", ".join(late)}
            }
        )


def _set_deadline(mentorship: Mentorship, deadline: date) -> None:
    if mentorship.deadline != deadline:
        Mentorship.objects.filter(pk=mentorship.pk).update(
            deadline=deadline, updated_at=timezone.now()
        )
        mentorship.deadline = deadline


@transaction.atomic
def agreement_update(*, agreement: Agreement, by, version: int, **changes) -> Agreement:
    """A member changes the agreement. Any change clears both signatures: both sign again."""
    mentorship = agreement.mentorship
    require_member(mentorship, by)
    require_active(mentorship)
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not agreement fields: {sorted(unknown)}")
    changes["ground_rules"] = changes.get("ground_rules", agreement.ground_rules).strip()
    changes["confidentiality"] = changes.get("confidentiality", agreement.confidentiality).strip()
    if not changes["ground_rules"]:
        raise ValidationError({"ground_rules": _("Write at least one ground rule.")})
    changed = {k: v for k, v in changes.items() if getattr(agreement, k) != v}
    if "deadline" in changed:
        validate_deadline(mentorship, changed["deadline"])
    if not changed:
        if version != agreement.version:
            raise conflict_error()
        return agreement
    was_signed = bool(agreement.mentor_signed_at or agreement.mentee_signed_at)
    now = timezone.now()
    # The conditional UPDATE is the race guard: of two members saving at once, the second
    # finds the version moved on and is told, instead of overwriting the first.
    updated = Agreement.objects.filter(pk=agreement.pk, version=version).update(
        **changed,
        mentor_signed_at=None,
        mentee_signed_at=None,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise conflict_error()
    if "deadline" in changed:
        _set_deadline(mentorship, changed["deadline"])
    agreement.refresh_from_db()
    if was_signed:
        other = other_member(mentorship, by)
        notify(
            kind="goals.agreement_changed",
            recipient=other,
            target=agreement,
            occasion=f"v{agreement.version}",
            context={"agreement": agreement, "mentorship": mentorship, "by": by},
            url=reverse("goals:agreement", args=[mentorship.code]),
        )
    return agreement


@transaction.atomic
def agreement_sign(*, agreement: Agreement, by, version: int) -> Agreement:
    """A member signs the version they read; signing an outdated version is refused."""
    mentorship = agreement.mentorship
    role = require_member(mentorship, by)
    require_active(mentorship)
    now = timezone.now()
    column = "mentor_signed_at" if role == MENTOR else "mentee_signed_at"
    signed = Agreement.objects.filter(
        pk=agreement.pk, version=version, **{f"{column}__isnull": True}
    ).update(**{column: now, "updated_at": now})
    agreement.refresh_from_db()
    if not signed:
        if agreement.version != version:
            raise ValidationError(
                _("The agreement changed while you were reading it. Read it again, then sign.")
            )
        raise ValidationError(_("You have already signed this version of the agreement."))
    AgreementSignature.objects.create(
        agreement=agreement, version=version, role=role, signer=by, signed_at=now
    )
    if agreement.is_signed and agreement.first_signed_at is None:
        Agreement.objects.filter(pk=agreement.pk, first_signed_at__isnull=True).update(
            first_signed_at=now
        )
        agreement.first_signed_at = now
    other = other_member(mentorship, by)
    notify(
        kind="goals.agreement_signed",
        recipient=other,
        target=agreement,
        occasion=f"v{version}-{role}",
        context={
            "agreement": agreement,
            "mentorship": mentorship,
            "by": by,
            "complete": agreement.is_signed,
        },
        url=reverse("goals:agreement", args=[mentorship.code]),
    )
    return agreement


@transaction.atomic
def agreement_reset_for_extension(*, agreement: Agreement, deadline: date) -> Agreement:
    """HR moved the deadline: the agreement records it and both members sign again."""
    Agreement.objects.filter(pk=agreement.pk).update(
        deadline=deadline,
        mentor_signed_at=None,
        mentee_signed_at=None,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    _set_deadline(agreement.mentorship, deadline)
    agreement.refresh_from_db()
    return agreement
