"""Managed pairing (knowledge transfer): the engine proposes pairs inside each area, HR edits
the draft, and publishing sends each pair to the mentee's manager and the mentor for approval.

The approvals themselves live here too: the mentee's manager approves a published pairing, the
mentor confirms it, and HR approves the pairs agreed from the catalogue where the program asks."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from people.models import User
from programs.models import Application, Program, Role

from .. import engine
from ..models import Mentorship
from ..pairs.selectors import (
    enrolment,
    matching_gate_problems,
    mentors_with_places,
    paired_before,
)
from ..pairs.services import (
    mentorship_create,
    mentorship_start,
    pair_rule_override_check,
    pair_rule_override_record,
)
from ..profiles import areas_by_department, program_scores
from .selectors import mentees_to_pair

# --- the draft: proposing, editing, publishing -----------------------------------------------


@dataclass
class Unmatched:
    application: Application
    reason: str


@dataclass
class ProposalOutcome:
    proposed: list[Mentorship] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def _check_managed(program: Program) -> None:
    if program.matching_mode != Program.MatchingMode.MANAGED:
        raise ValidationError(_("In this program mentees choose their mentors."))
    if program.status not in (Program.Status.MATCHING, Program.Status.RUNNING):
        raise ValidationError(_("Pairs can be proposed once the program reaches matching."))


@transaction.atomic
def proposals_run(*, program: Program, by: User) -> ProposalOutcome:
    """Propose the best pairs for everyone not yet paired; locked draft pairs are kept."""
    _check_managed(program)
    _lock_program(program)
    Mentorship.objects.filter(
        program=program, status=Mentorship.Status.PROPOSED, locked=False
    ).delete()
    mentees = mentees_to_pair(program)
    mentors = [m for m in mentors_with_places(program) if m.load < m.mentor_capacity]
    outcome = ProposalOutcome()
    if not mentees:
        return outcome
    if not mentors:
        outcome.unmatched = [Unmatched(a, _("No mentor has places left.")) for a in mentees]
        return outcome
    area_of = areas_by_department(program)
    mentee_area = np.array([area_of.get(a.person.department_id, -1) for a in mentees])
    mentor_area = np.array([area_of.get(a.person.department_id, -2) for a in mentors])
    same_area = mentee_area[:, None] == mentor_area[None, :]
    scored = program_scores(program, mentees, mentors)
    allowed = same_area & scored.must_ok
    mentor_index = {a.person_id: j for j, a in enumerate(mentors)}
    mentee_index = {a.person_id: i for i, a in enumerate(mentees)}
    for i, application in enumerate(mentees):
        manager_j = mentor_index.get(application.person.manager_id)
        if manager_j is not None:
            allowed[i, manager_j] = False
        self_j = mentor_index.get(application.person_id)
        if self_j is not None:
            allowed[i, self_j] = False
    for j, application in enumerate(mentors):
        report_i = mentee_index.get(application.person.manager_id)
        if report_i is not None:
            allowed[report_i, j] = False
    # Never again: no past pair and no pairing that was not approved, in any program.
    for mentor_id, mentee_id in paired_before(mentor_index, mentee_index):
        if mentor_id in mentor_index and mentee_id in mentee_index:
            allowed[mentee_index[mentee_id], mentor_index[mentor_id]] = False
    # The floor: below the program's minimum score nobody is proposed (HR may still assign).
    reaches = scored.scores >= program.min_score
    capacities = np.array([a.mentor_capacity - a.load for a in mentors], dtype=np.int64)
    pairs = engine.assign(scored.scores, capacities, allowed & reaches)
    scored_at = timezone.now()
    matched = set()
    rows = []
    for i, j in pairs:
        matched.add(i)
        rows.append(
            Mentorship(
                program=program,
                mentor=mentors[j].person,
                mentee=mentees[i].person,
                status=Mentorship.Status.PROPOSED,
                origin=Mentorship.Origin.HR_PROPOSAL,
                score=round(float(scored.scores[i, j]), 1),
                explanation=scored.explain(i, j),
                scored_at=scored_at,
            )
        )
    outcome.proposed = Mentorship.objects.bulk_create(rows)
    for i, application in enumerate(mentees):
        if i in matched:
            continue
        if not same_area[i].any():
            reason = _("No mentor with places left in their area.")
        elif not (same_area[i] & scored.must_ok[i]).any():
            reason = _("No mentor in their area meets the must-have criteria.")
        elif not allowed[i].any():
            reason = _(
                "The only mentors in their area are their manager, a direct report or a past "
                "mentor."
            )
        elif not (allowed[i] & reaches[i]).any():
            reason = _("No mentor reaches the minimum (%(n)d/100).") % {"n": program.min_score}
        else:
            reason = _("The mentors who fit them were needed for other mentees.")
        outcome.unmatched.append(Unmatched(application, reason))
    return outcome


def _draft(mentorship: Mentorship) -> Mentorship:
    locked = (
        Mentorship.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .filter(pk=mentorship.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(
            _("This draft pair no longer exists: someone changed the draft meanwhile.")
        )
    if locked.status != Mentorship.Status.PROPOSED:
        raise ValidationError(_("This pair has already been published."))
    return locked


def _lock_program(program: Program) -> None:
    # Two HR admins editing the same draft at once (proposing, swapping, assigning): the
    # second waits for the first to finish and then works on what the first left.
    Program.objects.select_for_update().get(pk=program.pk)


@transaction.atomic
def proposal_lock(*, mentorship: Mentorship, locked: bool) -> Mentorship:
    mentorship = _draft(mentorship)
    mentorship.locked = locked
    mentorship.save(update_fields=["locked", "updated_at"])
    return mentorship


@transaction.atomic
def proposal_remove(*, mentorship: Mentorship) -> None:
    _draft(mentorship).delete()


def _rescore(program: Program, mentee: User, mentor: User) -> tuple[float, list]:
    mentee_app = enrolment(program, mentee, Role.MENTEE)
    mentor_app = enrolment(program, mentor, Role.MENTOR)
    scored = program_scores(program, [mentee_app], [mentor_app])
    if not scored.must_ok[0, 0]:
        raise ValidationError(
            _("%(mentor)s does not meet %(mentee)s's must-have criteria.")
            % {"mentor": mentor, "mentee": mentee}
        )
    return round(float(scored.scores[0, 0]), 1), scored.explain(0, 0)


def _same_area(program: Program, first: User, second: User) -> bool:
    area_of = areas_by_department(program)
    area = area_of.get(first.department_id)
    return area is not None and area == area_of.get(second.department_id)


@transaction.atomic
def proposal_swap(
    *, first: Mentorship, second: Mentorship, by: User | None = None, override_reason: str = ""
) -> tuple[Mentorship, Mentorship]:
    """Exchange the mentors of two draft pairs of the same program.

    Refusals name the draft they concern (errors keyed by its code): a new pairing the
    never-again rule forbids carries the code "repeated_pair", and HR may go ahead with an
    `override_reason`, kept on that pair and in the audit log.
    """
    if first.program_id != second.program_id or first.pk == second.pk:
        raise ValidationError(_("Choose two different draft pairs of this program."))
    _lock_program(first.program)
    seen = {first.pk: first.mentor_id, second.pk: second.mentor_id}
    first, second = _draft(first), _draft(second)
    if any(seen[pair.pk] != pair.mentor_id for pair in (first, second)):
        raise ValidationError(
            _("These draft pairs changed while you were looking at them: check them again.")
        )
    if first.mentor_id == second.mentor_id:
        raise ValidationError(_("Both pairs have the same mentor: there is nothing to swap."))
    program = first.program
    errors: dict[str, list[ValidationError]] = {}
    overrides: dict[int, str] = {}
    for mentorship, mentor in ((first, second.mentor), (second, first.mentor)):
        key = str(mentorship.code)
        if not _same_area(program, mentor, mentorship.mentee):
            errors.setdefault(key, []).append(
                ValidationError(
                    _("%(mentor)s and %(mentee)s are not in the same area.")
                    % {"mentor": mentor, "mentee": mentorship.mentee}
                )
            )
            continue
        try:
            overrides[mentorship.pk] = pair_rule_override_check(
                mentor=mentor, mentee=mentorship.mentee, override_reason=override_reason, by=by
            )
        except ValidationError as exc:
            errors.setdefault(key, []).extend(
                ValidationError(
                    _("%(mentor)s with %(mentee)s: %(reason)s")
                    % {"mentor": mentor, "mentee": mentorship.mentee, "reason": message},
                    code=error.code,
                )
                for error in exc.error_list
                for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    new = [
        (first, second.mentor, *_rescore(program, first.mentee, second.mentor)),
        (second, first.mentor, *_rescore(program, second.mentee, first.mentor)),
    ]
    scored_at = timezone.now()
    for mentorship, mentor, score, explanation in new:
        mentorship.mentor = mentor
        mentorship.score = score
        mentorship.explanation = explanation
        mentorship.scored_at = scored_at
        mentorship.locked = True
        mentorship.override_reason = overrides[mentorship.pk]
        mentorship.overridden_by = by if mentorship.override_reason else None
        mentorship.save(
            update_fields=[
                "mentor",
                "score",
                "explanation",
                "scored_at",
                "locked",
                "override_reason",
                "overridden_by",
                "updated_at",
            ]
        )
        if mentorship.override_reason:
            pair_rule_override_record(mentorship=mentorship, by=by)
    return first, second


@transaction.atomic
def proposal_assign(
    *,
    program: Program,
    mentee: User,
    mentor: User,
    by: User | None = None,
    override_reason: str = "",
    below_floor_ok: bool = False,
) -> Mentorship:
    """HR pairs someone by hand (a locked draft pair), within the same area.

    HR decides, explicitly, where a rule HR may override stands in the way: a pairing the
    never-again rule forbids is refused (code "repeated_pair") without an `override_reason`,
    and a score below the program's minimum (code "below_floor") without `below_floor_ok`.
    """
    _check_managed(program)
    _lock_program(program)
    if not _same_area(program, mentor, mentee):
        raise ValidationError(
            _("%(mentor)s and %(mentee)s are not in the same area.")
            % {"mentor": mentor, "mentee": mentee}
        )
    errors: list[ValidationError] = []
    try:
        pair_rule_override_check(
            mentor=mentor, mentee=mentee, override_reason=override_reason, by=by
        )
    except ValidationError as exc:
        errors.extend(exc.error_list)
    score, explanation = _rescore(program, mentee, mentor)
    if score < program.min_score and not below_floor_ok:
        errors.append(
            ValidationError(
                _(
                    "%(mentor)s and %(mentee)s score %(score)d/100, below the program's "
                    "minimum (%(n)d/100)."
                )
                % {
                    "mentor": mentor,
                    "mentee": mentee,
                    "score": round(score),
                    "n": program.min_score,
                },
                code="below_floor",
            )
        )
    if errors:
        raise ValidationError(errors)
    return mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.PROPOSED,
        score=score,
        explanation=explanation,
        locked=True,
        override_reason=override_reason,
        by=by,
    )


@transaction.atomic
def proposals_publish(*, program: Program, by: User) -> int:
    """Send every draft pair for approval: the mentee's manager approves, the mentor confirms."""
    _check_managed(program)
    _lock_program(program)
    drafts = list(
        Mentorship.objects.filter(program=program, status=Mentorship.Status.PROPOSED)
        .select_related("mentor", "mentee", "mentee__manager")
        .select_for_update(of=("self",))
    )
    if not drafts:
        raise ValidationError(_("There are no draft pairs to publish."))
    for mentorship in drafts:
        manager = mentorship.mentee.manager
        mentorship.status = Mentorship.Status.AWAITING_APPROVAL
        mentorship.mentor_decision = Mentorship.Decision.PENDING
        mentorship.manager_decision = (
            Mentorship.Decision.PENDING
            if manager and manager.is_active
            else Mentorship.Decision.NOT_NEEDED
        )
        mentorship.locked = False
        mentorship.sent_for_approval_at = timezone.now()
        mentorship.save(
            update_fields=[
                "status",
                "mentor_decision",
                "manager_decision",
                "locked",
                "sent_for_approval_at",
                "updated_at",
            ]
        )
        url = reverse("matching:approvals")
        if mentorship.manager_decision == Mentorship.Decision.PENDING:
            notify(
                kind="matching.pairing_to_approve",
                recipient=manager,
                target=mentorship,
                context={"mentorship": mentorship},
                url=url,
            )
        notify(
            kind="matching.pairing_to_confirm",
            recipient=mentorship.mentor,
            target=mentorship,
            context={"mentorship": mentorship},
            url=url,
        )
    return len(drafts)


# --- HR approves pairs that a mentee and a mentor agreed ------------------------------------


@transaction.atomic
def pairing_hr_decide(*, mentorship: Mentorship, approve: bool, by: User) -> Mentorship:
    """HR approves (or not) a pair that a mentee and a mentor agreed, where the program asks."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if (
        mentorship.status != Mentorship.Status.AWAITING_APPROVAL
        or mentorship.hr_decision != Mentorship.Decision.PENDING
    ):
        raise ValidationError(_("This pair is not waiting for HR."))
    mentorship.hr_decision = (
        Mentorship.Decision.APPROVED if approve else Mentorship.Decision.DECLINED
    )
    mentorship.hr_decided_by = by
    mentorship.hr_decided_at = timezone.now()
    fields = ["hr_decision", "hr_decided_by", "hr_decided_at", "updated_at"]
    if not approve:
        mentorship.status = Mentorship.Status.DECLINED
        fields.append("status")
    mentorship.save(update_fields=fields)
    if approve and _all_approved(mentorship):
        mentorship_start(mentorship=mentorship)
    elif not approve:
        for person in (mentorship.mentor, mentorship.mentee):
            notify(
                kind="matching.pairing_not_approved",
                recipient=person,
                target=mentorship,
                context={"mentorship": mentorship},
            )
    return mentorship


def _all_approved(mentorship: Mentorship) -> bool:
    return all(
        decision in (Mentorship.Decision.APPROVED, Mentorship.Decision.NOT_NEEDED)
        for decision in (
            mentorship.manager_decision,
            mentorship.mentor_decision,
            mentorship.hr_decision,
        )
    )


# --- managed pairing: approvals by the mentee's manager and the mentor ----------------------


def _lock_awaiting(mentorship: Mentorship) -> Mentorship:
    locked = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("program", "mentor", "mentee")
        .get(pk=mentorship.pk)
    )
    if locked.status != Mentorship.Status.AWAITING_APPROVAL:
        raise ValidationError(_("This pairing is no longer waiting for approval."))
    return locked


def _declined(mentorship: Mentorship, by: User, comment: str) -> None:
    mentorship.status = Mentorship.Status.DECLINED
    mentorship.save(update_fields=["status", "updated_at"])
    # HR learns the mentee is back in the pool; the mentor and mentee are told plainly.
    for person in {mentorship.program.created_by, mentorship.mentor, mentorship.mentee}:
        notify(
            kind="matching.pairing_declined",
            recipient=person,
            target=mentorship,
            context={"mentorship": mentorship, "by": by, "comment": comment},
        )


@transaction.atomic
def pairing_manager_decide(
    *, mentorship: Mentorship, approve: bool, comment: str, by: User
) -> Mentorship:
    mentorship = _lock_awaiting(mentorship)
    if mentorship.mentee.manager_id != by.pk:
        raise ValidationError(_("Only the mentee's manager can decide on this pairing."))
    if mentorship.manager_decision != Mentorship.Decision.PENDING:
        raise ValidationError(_("You have already decided on this pairing."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Add a comment so HR knows why.")})
    mentorship.manager_decision = (
        Mentorship.Decision.APPROVED if approve else Mentorship.Decision.DECLINED
    )
    mentorship.manager_comment = comment
    mentorship.manager_decided_by = by
    mentorship.manager_decided_at = timezone.now()
    mentorship.save(
        update_fields=[
            "manager_decision",
            "manager_comment",
            "manager_decided_by",
            "manager_decided_at",
            "updated_at",
        ]
    )
    if not approve:
        _declined(mentorship, by, comment)
    elif _all_approved(mentorship):
        mentorship_start(mentorship=mentorship)
    return mentorship


@transaction.atomic
def pairing_mentor_decide(
    *, mentorship: Mentorship, approve: bool, comment: str, by: User
) -> Mentorship:
    mentorship = _lock_awaiting(mentorship)
    if mentorship.mentor_id != by.pk:
        raise ValidationError(_("Only the proposed mentor can confirm this pairing."))
    if mentorship.mentor_decision != Mentorship.Decision.PENDING:
        raise ValidationError(_("You have already answered."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Add a comment so HR knows why.")})
    if approve:
        gate = matching_gate_problems(mentorship.program, by, Role.MENTOR)
        if gate:
            raise ValidationError(gate)
    mentorship.mentor_decision = (
        Mentorship.Decision.APPROVED if approve else Mentorship.Decision.DECLINED
    )
    mentorship.mentor_comment = comment
    mentorship.mentor_decided_at = timezone.now()
    mentorship.save(
        update_fields=["mentor_decision", "mentor_comment", "mentor_decided_at", "updated_at"]
    )
    if not approve:
        _declined(mentorship, by, comment)
    elif _all_approved(mentorship):
        mentorship_start(mentorship=mentorship)
    return mentorship
