"""Goals and their action steps: the mentor writes, the mentee agrees, both follow the plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from people.models import Skill
from programs.models import Objective

from ..common import (
    MENTEE,
    MENTOR,
    check_within_partnership,
    conflict_error,
    plan_url,
    require_active,
    require_member,
)
from ..models import ActionStep, Goal, GoalChange, Meeting

GOAL_FIELDS = ("title", "description", "measure", "target_date")
STEP_FIELDS = ("title", "owner", "due_on", "status")


# --- goals ---------------------------------------------------------------------------


def _clean_goal(mentorship: Mentorship, data: dict) -> dict:
    data = dict(data)
    for field in ("title", "measure"):
        data[field] = " ".join(str(data.get(field, "")).split())
    data["description"] = str(data.get("description", "")).strip()
    errors = {}
    if not data["title"]:
        errors["title"] = _("Say what the goal is.")
    if not data["measure"]:
        errors["measure"] = _("Say how you will both know the goal is reached.")
    if errors:
        raise ValidationError(errors)
    check_within_partnership(mentorship, data["target_date"], "target_date")
    objectives = list(data.get("objectives") or [])
    if any(o.program_id != mentorship.program_id for o in objectives):
        raise ValidationError({"objectives": _("Choose objectives of this pair's program.")})
    data["objectives"] = objectives
    data["skills"] = list(data.get("skills") or [])
    return data


def _raw(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _record(
    goal: Goal, by, action: str, details: list[dict] | None = None, step_title: str = ""
) -> None:
    """After the mentee agreed to a goal, every change to it is kept: who, when, what."""
    if goal.was_agreed:
        GoalChange.objects.create(
            goal=goal, by=by, action=action, step_title=step_title, details=details or []
        )


@transaction.atomic
def goal_create(
    *,
    mentorship: Mentorship,
    by,
    title: str,
    measure: str,
    target_date: date,
    description: str = "",
    objectives: Iterable[Objective] = (),
    skills: Iterable[Skill] = (),
) -> Goal:
    """The mentor writes a goal; the mentee is asked to review it."""
    require_member(mentorship, by, role=MENTOR)
    require_active(mentorship)
    data = _clean_goal(
        mentorship,
        {
            "title": title,
            "measure": measure,
            "target_date": target_date,
            "description": description,
            "objectives": objectives,
            "skills": skills,
        },
    )
    goal = Goal.objects.create(
        mentorship=mentorship,
        created_by=by,
        order=Goal.objects.filter(mentorship=mentorship).count(),
        **{k: data[k] for k in GOAL_FIELDS},
    )
    goal.objectives.set(data["objectives"])
    goal.skills.set(data["skills"])
    _ask_review(goal)
    return goal


def _ask_review(goal: Goal) -> None:
    mentorship = goal.mentorship
    notify(
        kind="goals.goal_proposed",
        recipient=mentorship.mentee,
        target=goal,
        occasion=f"r{goal.revision}",
        context={"goal": goal, "mentorship": mentorship},
        url=plan_url(mentorship),
    )


@transaction.atomic
def goal_update(*, goal: Goal, by, version: int, **changes) -> Goal:
    """The mentor revises a goal. After a change request it goes back to the mentee."""
    mentorship = goal.mentorship
    require_member(mentorship, by, role=MENTOR)
    require_active(mentorship)
    before_objectives = list(goal.objectives.all())
    before_skills = list(goal.skills.all())
    data = _clean_goal(
        mentorship,
        {
            "objectives": before_objectives,
            "skills": before_skills,
            **{f: getattr(goal, f) for f in GOAL_FIELDS},
            **changes,
        },
    )
    details = [
        {"field": f, "before": _raw(getattr(goal, f)), "after": _raw(data[f])}
        for f in GOAL_FIELDS
        if getattr(goal, f) != data[f]
    ]
    for name, before in (("objectives", before_objectives), ("skills", before_skills)):
        if {o.pk for o in before} != {o.pk for o in data[name]}:
            details.append(
                {
                    "field": name,
                    "before": ", ".join(str(o) for o in before),
                    "after": ", ".join(str(o) for o in data[name]),
                }
            )
    revise = goal.review == Goal.Review.CHANGES_REQUESTED and bool(details)
    fields = {f: data[f] for f in GOAL_FIELDS}
    if revise:
        fields.update(review=Goal.Review.PROPOSED, revision=F("revision") + 1)
    # Race guard: the second of two people saving the same goal is told, not overwriting.
    updated = Goal.objects.filter(pk=goal.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise conflict_error()
    goal.objectives.set(data["objectives"])
    goal.skills.set(data["skills"])
    goal.refresh_from_db()
    if details:
        _record(goal, by, GoalChange.Action.EDITED, details)
    if revise:
        _ask_review(goal)
    return goal


@transaction.atomic
def goal_review(*, goal: Goal, by, version: int, agree: bool, comment: str = "") -> Goal:
    """The mentee agrees to the goal, or asks the mentor for changes with a comment."""
    mentorship = goal.mentorship
    require_member(mentorship, by, role=MENTEE)
    require_active(mentorship)
    comment = comment.strip()
    if goal.review == Goal.Review.AGREED:
        raise ValidationError(_("You have already agreed to this goal."))
    if not agree and not comment:
        raise ValidationError({"comment": _("Tell your mentor what to change.")})
    now = timezone.now()
    fields = {"review_comment": comment, "updated_at": now}
    if agree:
        fields.update(review=Goal.Review.AGREED, agreed_at=goal.agreed_at or now)
    else:
        fields.update(review=Goal.Review.CHANGES_REQUESTED)
    # The mentee reviews the version they read: a goal the mentor changed meanwhile is refused.
    updated = (
        Goal.objects.filter(pk=goal.pk, version=version)
        .exclude(review=Goal.Review.AGREED)
        .update(**fields, version=F("version") + 1)
    )
    if not updated:
        raise ValidationError(
            _("Your mentor changed this goal while you were reading it. Read it again.")
        )
    goal.refresh_from_db()
    notify(
        kind="goals.goal_agreed" if agree else "goals.goal_changes_requested",
        recipient=mentorship.mentor,
        target=goal,
        occasion=f"r{goal.revision}",
        context={"goal": goal, "mentorship": mentorship, "comment": comment},
        url=plan_url(mentorship),
        email=not agree,
    )
    return goal


@transaction.atomic
def goal_set_status(*, goal: Goal, by, version: int, status: str) -> Goal:
    mentorship = goal.mentorship
    require_member(mentorship, by)
    require_active(mentorship)
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    if status == goal.status:
        return goal
    before = goal.status
    updated = Goal.objects.filter(pk=goal.pk, version=version).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise conflict_error()
    goal.refresh_from_db()
    _record(
        goal,
        by,
        GoalChange.Action.STATUS,
        [{"field": "status", "before": before, "after": goal.status}],
    )
    return goal


# --- action steps --------------------------------------------------------------------


def _clean_step(goal: Goal, data: dict, *, check_past: bool) -> dict:
    data = dict(data)
    data["title"] = " ".join(str(data.get("title", "")).split())
    if not data["title"]:
        raise ValidationError({"title": _("Say what the step is.")})
    if data.get("owner") not in ActionStep.Owner.values:
        raise ValidationError({"owner": _("Choose who does it: the mentor or the mentee.")})
    if data.get("status", ActionStep.Status.TODO) not in ActionStep.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    check_within_partnership(goal.mentorship, data["due_on"], "due_on")
    if check_past and data["due_on"] < timezone.localdate():
        raise ValidationError({"due_on": _("Choose a due date from today on.")})
    return data


def _sync_goal_status(goal: Goal, step_status: str) -> None:
    """The first step under way starts the goal (without touching its version)."""
    if step_status in (ActionStep.Status.IN_PROGRESS, ActionStep.Status.DONE):
        Goal.objects.filter(pk=goal.pk, status=Goal.Status.NOT_STARTED).update(
            status=Goal.Status.IN_PROGRESS
        )


@transaction.atomic
def step_create(
    *,
    goal: Goal,
    by,
    title: str,
    owner: str,
    due_on: date,
    from_meeting: Meeting | None = None,
) -> ActionStep:
    require_member(goal.mentorship, by)
    require_active(goal.mentorship)
    if goal.status == Goal.Status.DROPPED:
        raise ValidationError(_("This goal was dropped: it takes no new steps."))
    data = _clean_step(goal, {"title": title, "owner": owner, "due_on": due_on}, check_past=True)
    step = ActionStep.objects.create(
        goal=goal,
        title=data["title"],
        owner=data["owner"],
        due_on=data["due_on"],
        from_meeting=from_meeting,
    )
    _record(
        goal,
        by,
        GoalChange.Action.STEP_ADDED,
        [
            {"field": "step_owner", "before": "", "after": step.owner},
            {"field": "step_due_on", "before": "", "after": _raw(step.due_on)},
        ],
        step_title=step.title,
    )
    return step


@transaction.atomic
def step_update(*, step: ActionStep, by, version: int, **changes) -> ActionStep:
    goal = step.goal
    require_member(goal.mentorship, by)
    require_active(goal.mentorship)
    data = _clean_step(
        goal,
        {**{f: getattr(step, f) for f in STEP_FIELDS}, **changes},
        check_past=changes.get("due_on", step.due_on) != step.due_on,
    )
    changed = {f: data[f] for f in STEP_FIELDS if getattr(step, f) != data[f]}
    if not changed:
        if version != step.version:
            raise conflict_error()
        return step
    if "status" in changed:
        changed["completed_at"] = (
            timezone.now() if changed["status"] == ActionStep.Status.DONE else None
        )
    details = [
        {"field": f"step_{f}", "before": _raw(getattr(step, f)), "after": _raw(data[f])}
        for f in STEP_FIELDS
        if f in changed
    ]
    # Race guard: two people editing the same step at once; the second is told.
    updated = ActionStep.objects.filter(pk=step.pk, version=version).update(
        **changed, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise conflict_error()
    title_before = step.title
    step.refresh_from_db()
    if "status" in changed:
        _sync_goal_status(goal, step.status)
    _record(goal, by, GoalChange.Action.STEP_CHANGED, details, step_title=title_before)
    return step


def step_set_status(*, step: ActionStep, by, version: int, status: str) -> ActionStep:
    return step_update(step=step, by=by, version=version, status=status)


def personal_data_erase(*, person) -> None:
    """The `people.personal_data_erase` item: the texts the person wrote in their pairs."""
    from people.personal_data import ERASED_TEXT

    from ..models import CalendarFeed, ClosingReview, Extension, Meeting, PrivateNote

    CalendarFeed.objects.filter(person=person).delete()
    PrivateNote.objects.filter(author=person).exclude(text="").update(text=ERASED_TEXT)
    ClosingReview.objects.filter(author=person).update(reflection=ERASED_TEXT)
    Goal.objects.filter(created_by=person).exclude(description="").update(description=ERASED_TEXT)
    Meeting.objects.filter(logged_by=person).exclude(shared_notes="").update(
        shared_notes=ERASED_TEXT
    )
    Meeting.objects.filter(scheduled_by=person).exclude(agenda="").update(agenda=ERASED_TEXT)
    Extension.objects.filter(requested_by=person).update(reason=ERASED_TEXT)
    Extension.objects.filter(decided_by=person).exclude(decision_comment="").update(
        decision_comment=ERASED_TEXT
    )


# Values of a goal's history that are not free text (statuses, owners, dates): kept.
_CHANGE_VALUES_KEPT = {"status", "step_status", "step_owner", "target_date", "step_due_on"}


def personal_data_expiry(program):
    """The `programs.program_personal_data_expire` item of stage 5: what the pairs wrote.

    Signatures, cadence, deadlines, goal and step statuses and dates, meetings held, the
    goals' links to objectives and skills, and closing ratings stay: the indicators read
    them. Private notes keep their row (they are nobody's but their author's) with the text
    replaced, like every other text.
    """
    from people.personal_data import ERASED_TEXT
    from programs.retention.services import expiry

    from ..models import Agreement, ClosingReview, Extension, PrivateNote

    pairs = {"mentorship__program": program}
    goals = Goal.objects.filter(**pairs)
    steps = ActionStep.objects.filter(goal__mentorship__program=program)
    meetings = Meeting.objects.filter(**pairs)
    agreements = Agreement.objects.filter(**pairs)
    extensions = Extension.objects.filter(**pairs)

    def history_left():
        for change in GoalChange.objects.filter(goal__mentorship__program=program).only(
            "pk", "step_title", "details"
        ):
            details = [
                item
                if item.get("field") in _CHANGE_VALUES_KEPT
                else {
                    **item,
                    "before": ERASED_TEXT if item.get("before") else item.get("before"),
                    "after": ERASED_TEXT if item.get("after") else item.get("after"),
                }
                for item in change.details or []
            ]
            step_title = ERASED_TEXT if change.step_title else ""
            if details != change.details or step_title != change.step_title:
                yield change, details, step_title

    def history_count() -> int:
        return sum(1 for _item in history_left())

    def history_apply() -> int:
        changed = 0
        for change, details, step_title in list(history_left()):
            GoalChange.objects.filter(pk=change.pk).update(details=details, step_title=step_title)
            changed += 1
        return changed

    return expiry(
        _(
            "Agreements, goals and meetings: the pairs' ground rules and confidentiality "
            "texts, goal titles, details, measures and review comments, action steps, goal "
            "history, meeting agendas and shared notes, private notes, final reflections, "
            "reasons for extensions and the emails about them. Signatures, statuses, dates, "
            "meetings held and closing ratings stay."
        ),
        [
            (agreements, "ground_rules"),
            (agreements, "confidentiality"),
            (goals, "title"),
            (goals, "description"),
            (goals, "measure"),
            (goals, "review_comment"),
            (steps, "title"),
            (meetings, "agenda"),
            (meetings, "shared_notes"),
            (PrivateNote.objects.filter(meeting__mentorship__program=program), "text"),
            (ClosingReview.objects.filter(**pairs), "reflection"),
            (extensions, "reason"),
            (extensions, "decision_comment"),
        ],
        emails_about=[agreements, goals, steps, meetings, extensions],
        extra_count=history_count,
        extra_apply=history_apply,
    )
