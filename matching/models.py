"""Stage 3 (match): mentee requests, HR proposals with approvals, and the pair itself."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped


class MentorshipQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentorshipQuerySet:
        """The one way to read pairs: HR sees all, people their own, managers their reports'."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_hr:
            return self
        return self.filter(Q(mentor=user) | Q(mentee=user) | Q(mentee__manager=user))

    def never_again(self) -> MentorshipQuerySet:
        """Pairings that keep their two people apart for good (the never-again rule): every
        pair that left HR's drafts (published, active, finished, ended early or declined), in
        any program. The one definition; `matching.pairs.selectors` words and applies it."""
        return self.exclude(status=Mentorship.Status.PROPOSED)

    def holding_place(self) -> MentorshipQuerySet:
        """Pairs that take one of the mentor's places and keep the mentee out of the pool."""
        return self.filter(status__in=Mentorship.HOLDING)

    def active(self) -> MentorshipQuerySet:
        return self.filter(status=Mentorship.Status.ACTIVE)


class Mentorship(TimeStamped, PublicCode):
    """One mentor and one mentee in a program: the pair every later stage works on."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed (draft)")
        AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        ENDED_EARLY = "ended_early", _("ended early")
        DECLINED = "declined", _("not approved")

    class Origin(models.TextChoices):
        MENTEE_REQUEST = "mentee_request", _("the mentee chose the mentor")
        HR_PROPOSAL = "hr_proposal", _("proposed by HR")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        NOT_NEEDED = "not_needed", _("not needed")

    HOLDING = ("proposed", "awaiting_approval", "active")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentee"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    origin = models.CharField(_("how it was made"), max_length=20, choices=Origin.choices)
    score = models.FloatField(_("match score"), null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    scored_at = models.DateTimeField(_("score computed on"), null=True, blank=True)
    override_reason = models.TextField(
        _("why HR made this pair against the rules"), max_length=2000, blank=True
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings_overridden",
    )
    locked = models.BooleanField(_("kept when proposing again"), default=False)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    manager_decision = models.CharField(
        max_length=12, choices=Decision.choices, default=Decision.NOT_NEEDED
    )
    manager_comment = models.TextField(max_length=2000, blank=True)
    manager_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings_decided",
    )
    manager_decided_at = models.DateTimeField(null=True, blank=True)
    mentor_decision = models.CharField(
        max_length=12, choices=Decision.choices, default=Decision.NOT_NEEDED
    )
    mentor_comment = models.TextField(max_length=2000, blank=True)
    mentor_decided_at = models.DateTimeField(null=True, blank=True)
    hr_decision = models.CharField(
        max_length=12, choices=Decision.choices, default=Decision.NOT_NEEDED
    )
    hr_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings_approved",
    )
    hr_decided_at = models.DateTimeField(null=True, blank=True)
    sent_for_approval_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorships_ended",
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["proposed", "awaiting_approval", "active"]),
                name="matching_mentorship_one_current_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="matching_mentorship_not_oneself",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(deadline__isnull=True)
                | Q(starts_on__lt=models.F("deadline")),
                name="matching_mentorship_deadline_after_start",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} ↔ {self.mentee}"

    @property
    def explanation_items(self) -> list[dict]:
        """The stored match reasons, met and unmet, worded in the reader's language."""
        return _worded(self.explanation, "hr")

    @property
    def explanation_for_mentee(self) -> list[dict]:
        """The same reasons worded for the mentee ("the skills you want")."""
        return _worded(self.explanation, "mentee")

    def is_current(self) -> bool:
        return self.status in self.HOLDING

    def days_left(self, today: date | None = None) -> int | None:
        if self.deadline is None:
            return None
        return (self.deadline - (today or timezone.localdate())).days


class MatchRequestQuerySet(models.QuerySet):
    def open(self) -> MatchRequestQuerySet:
        """Requests in the mentor's hands, waiting for their answer."""
        return self.filter(status=MatchRequest.Status.PENDING)

    def waiting(self) -> MatchRequestQuerySet:
        """Requests still alive: with the mentor now, or queued behind earlier choices."""
        return self.filter(status__in=MatchRequest.WAITING)


class MatchRequest(TimeStamped, PublicCode):
    """A mentee asks a mentor from the catalogue; the mentor accepts or declines."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for earlier choices")
        PENDING = "pending", _("waiting for the mentor")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    WAITING = ("queued", "pending")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="match_requests"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_requests_sent"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_requests_received"
    )
    rank = models.PositiveSmallIntegerField(_("preference"))
    message = models.TextField(_("message to the mentor"), max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("reached the mentor"), null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reply_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )

    objects = MatchRequestQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "created_at"]
        verbose_name = _("mentor request")
        verbose_name_plural = _("mentor requests")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"],
                condition=Q(status__in=["queued", "pending"]),
                name="matching_request_one_open_per_mentor",
            ),
            models.UniqueConstraint(
                fields=["program", "mentee", "rank"],
                condition=Q(status__in=["queued", "pending"]),
                name="matching_request_one_open_per_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} (#{self.rank})"

    @property
    def explanation_items(self) -> list[dict]:
        """The reasons stored when the request was sent, worded for the mentor."""
        return _worded(self.explanation, "hr")

    @property
    def explanation_for_mentee(self) -> list[dict]:
        """The same reasons worded for the mentee, as they read them in the catalogue."""
        return _worded(self.explanation, "mentee")


def _worded(explanation: list, audience: str) -> list[dict]:
    from .profiles import reasons_worded

    return reasons_worded(explanation, audience)
