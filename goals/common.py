"""Small rules every part of the planning stage shares: who is in the pair, its dates, conflicts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.models import Mentorship
from people.models import User

MENTOR = "mentor"
MENTEE = "mentee"


def member_role(mentorship: Mentorship, user) -> str | None:
    """ "mentor" or "mentee" when `user` is in the pair, else None."""
    if user is None:
        return None
    if user.pk == mentorship.mentor_id:
        return MENTOR
    if user.pk == mentorship.mentee_id:
        return MENTEE
    return None


def require_member(mentorship: Mentorship, user, *, role: str | None = None) -> str:
    """The member's role; a ValidationError for anyone else (or for the other role)."""
    found = member_role(mentorship, user)
    if found is None:
        raise ValidationError(_("Only the mentor and the mentee of this pair can do this."))
    if role == MENTOR and found != MENTOR:
        raise ValidationError(_("Only the mentor can do this."))
    if role == MENTEE and found != MENTEE:
        raise ValidationError(_("Only the mentee can do this."))
    return found


def require_active(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(
            _("This partnership is not active (%(status)s), so it can no longer change.")
            % {"status": mentorship.get_status_display()}
        )


def other_member(mentorship: Mentorship, user) -> User:
    return mentorship.mentee if user.pk == mentorship.mentor_id else mentorship.mentor


def partnership_start(mentorship: Mentorship) -> date:
    if mentorship.starts_on:
        return mentorship.starts_on
    if mentorship.activated_at:
        return timezone.localtime(mentorship.activated_at).date()
    return timezone.localdate()


def partnership_deadline(mentorship: Mentorship) -> date:
    return mentorship.deadline or mentorship.program.default_deadline


def check_within_partnership(mentorship: Mentorship, day: date, field: str) -> None:
    """Dates of goals, steps and meetings fall between the start and the deadline."""
    start, deadline = partnership_start(mentorship), partnership_deadline(mentorship)
    if not start <= day <= deadline:
        raise ValidationError(
            {
                field: _("Choose a date within the partnership: from %(start)s to %(end)s.")
                % {
                    "start": date_format(start, "DATE_FORMAT"),
                    "end": date_format(deadline, "DATE_FORMAT"),
                }
            }
        )


def conflict_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this while you were editing it, so your changes were not "
            "saved. Reload the page to see the latest version, then make your changes again."
        ),
        code="conflict",
    )


def pair_url(mentorship: Mentorship) -> str:
    return reverse("matching:mentorship", args=[mentorship.code])


def plan_url(mentorship: Mentorship) -> str:
    return reverse("goals:plan", args=[mentorship.code])


def hr_contacts(program) -> list[User]:
    """Who in HR hears about a pair: the program's creator, or every HR admin if they left."""
    owner = program.created_by
    if owner.is_active and owner.is_hr:
        return [owner]
    return list(User.objects.hr_admins().distinct().order_by("pk"))
