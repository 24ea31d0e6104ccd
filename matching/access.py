"""The one place matching views look pairs and requests up: outsiders get 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import MatchRequest, Mentorship

PAIR_RELATED = (
    "program",
    "mentor__department",
    "mentee__department",
    "mentee__manager",
    "manager_decided_by",
    "hr_decided_by",
    "ended_by",
)


def pairs_visible_to(user):
    """`Mentorship.objects.visible_to(user)`, minus HR's draft proposals for everyone but HR."""
    pairs = Mentorship.objects.visible_to(user)
    if not getattr(user, "is_hr", False):
        # A draft is HR's working state: its people learn of it when HR publishes it.
        pairs = pairs.exclude(status=Mentorship.Status.PROPOSED)
    return pairs


def get_mentorship_for_user(user, code) -> Mentorship:
    """A pair its members, their HR team and the mentee's manager may see; 404 otherwise."""
    return get_object_or_404(pairs_visible_to(user).select_related(*PAIR_RELATED), code=code)


def viewer_role(user, mentorship: Mentorship) -> str:
    """How `user` sees the pair: "mentor", "mentee", "manager" or "hr"."""
    if user.pk == mentorship.mentor_id:
        return "mentor"
    if user.pk == mentorship.mentee_id:
        return "mentee"
    if user.is_hr:
        return "hr"
    return "manager"


def can_end(user, mentorship: Mentorship) -> bool:
    return viewer_role(user, mentorship) in ("mentor", "mentee", "hr")


def get_mentorship_to_end(user, code) -> Mentorship:
    """Members and HR may end a pair; the mentee's manager sees it but may not (403)."""
    mentorship = get_mentorship_for_user(user, code)
    if not can_end(user, mentorship):
        raise PermissionDenied
    return mentorship


def get_pairing_for_manager(user, code) -> Mentorship:
    """A published pairing of one of `user`'s direct reports that asked for their decision."""
    return get_object_or_404(
        Mentorship.objects.select_related(*PAIR_RELATED)
        .exclude(status=Mentorship.Status.PROPOSED)
        .exclude(manager_decision=Mentorship.Decision.NOT_NEEDED),
        code=code,
        mentee__manager=user,
    )


def get_pairing_for_mentor(user, code) -> Mentorship:
    """A published pairing proposed to `user` as mentor that asked for their confirmation."""
    return get_object_or_404(
        Mentorship.objects.select_related(*PAIR_RELATED)
        .exclude(status=Mentorship.Status.PROPOSED)
        .exclude(mentor_decision=Mentorship.Decision.NOT_NEEDED),
        code=code,
        mentor=user,
    )


def get_request_for_mentor(user, code) -> MatchRequest:
    """A request sent to `user` as mentor; 404 for anyone else, and while it is still queued
    behind the mentee's earlier choices (the mentor has not received it)."""
    return get_object_or_404(
        MatchRequest.objects.exclude(status=MatchRequest.Status.QUEUED).select_related(
            "program", "mentee__department", "mentorship"
        ),
        code=code,
        mentor=user,
    )


def get_request_for_mentee(user, code) -> MatchRequest:
    """A request `user` sent as mentee; 404 for anyone else."""
    return get_object_or_404(
        MatchRequest.objects.select_related("program", "mentor__department", "mentorship"),
        code=code,
        mentee=user,
    )


def get_pair_for_hr(code) -> Mentorship:
    """Any pair, for HR views (the view itself is wrapped in `hr_required`)."""
    return get_object_or_404(Mentorship.objects.select_related(*PAIR_RELATED), code=code)
