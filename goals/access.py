"""The one place goals views look pairs, goals, steps and meetings up: outsiders get 404.

Reads go through matching's `pairs_visible_to` (HR sees every pair, people their own, the
mentee's manager their reports'); then the viewer's role in the pair must be one the page
allows. The manager is never allowed here: they see only the summary on the pair's page.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.access import get_mentorship_for_user, pairs_visible_to, viewer_role
from matching.models import Mentorship

from .models import ActionStep, Extension, Goal, Meeting

MEMBERS = ("mentor", "mentee")
READERS = ("mentor", "mentee", "hr")
PAIR_RELATED = ("mentorship__program", "mentorship__mentor", "mentorship__mentee")


def _check(user, mentorship: Mentorship, roles) -> str:
    role = viewer_role(user, mentorship)
    if role not in roles:
        raise Http404
    return role


def get_pair(user, code, roles=MEMBERS) -> tuple[Mentorship, str]:
    mentorship = get_mentorship_for_user(user, code)
    return mentorship, _check(user, mentorship, roles)


def get_goal(user, code, roles=MEMBERS) -> tuple[Goal, str]:
    goal = get_object_or_404(
        Goal.objects.filter(mentorship__in=pairs_visible_to(user)).select_related(*PAIR_RELATED),
        code=code,
    )
    return goal, _check(user, goal.mentorship, roles)


def get_step(user, code, roles=MEMBERS) -> tuple[ActionStep, str]:
    step = get_object_or_404(
        ActionStep.objects.filter(goal__mentorship__in=pairs_visible_to(user)).select_related(
            "goal__mentorship__program", "goal__mentorship__mentor", "goal__mentorship__mentee"
        ),
        code=code,
    )
    return step, _check(user, step.goal.mentorship, roles)


def get_meeting(user, code, roles=MEMBERS) -> tuple[Meeting, str]:
    meeting = get_object_or_404(
        Meeting.objects.filter(mentorship__in=pairs_visible_to(user)).select_related(
            *PAIR_RELATED, "scheduled_by", "logged_by"
        ),
        code=code,
    )
    return meeting, _check(user, meeting.mentorship, roles)


def get_extension_for_hr(code) -> Extension:
    """Any extension request, for HR views (the view itself is wrapped in `hr_required`)."""
    return get_object_or_404(
        Extension.objects.select_related(*PAIR_RELATED, "requested_by", "decided_by"), code=code
    )
