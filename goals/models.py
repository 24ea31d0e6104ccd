"""Stage 5 (plan): the agreement, goals with their action steps, meetings and the closing."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped

# Limits on what people type: generous for real use, small enough for emails and pages.
TITLE_MAX = 200
SHORT_TEXT_MAX = 1000
TEXT_MAX = 5000
NOTES_MAX = 20000


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ProgramSettings(TimeStamped):
    """What HR sets for the planning stage of one program (created with defaults on demand)."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="goal_settings"
    )
    goals_due_days = models.PositiveSmallIntegerField(
        _("days the mentor has to write the goals"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "Counted from the start of the partnership. The mentor is reminded then; HR is "
            "copied after twice as many days."
        ),
    )
    ground_rules = models.TextField(
        _("ground rules"),
        max_length=TEXT_MAX,
        help_text=_("The template every new agreement starts from. Markdown: **bold**, lists."),
    )
    confidentiality = models.TextField(
        _("confidentiality"), max_length=TEXT_MAX, help_text=_("Markdown: **bold**, lists.")
    )

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return str(self.program)


class Agreement(TimeStamped, PublicCode):
    """The pair's mentoring agreement: ground rules, cadence, format, confidentiality, deadline.

    Both members sign; any change after a signature clears both signatures (the dates of
    earlier signatures stay in `AgreementSignature`).
    """

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        VIDEO = "video", _("video call")
        MIXED = "mixed", _("in person or by video")

    class Cadence(models.IntegerChoices):
        WEEKLY = 7, _("every week")
        FORTNIGHTLY = 14, _("every two weeks")
        THREE_WEEKS = 21, _("every three weeks")
        MONTHLY = 30, _("every month")

    mentorship = models.OneToOneField(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="agreement"
    )
    ground_rules = models.TextField(_("ground rules"), max_length=TEXT_MAX)
    cadence_days = models.PositiveSmallIntegerField(
        _("we meet"), choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    meeting_format = models.CharField(
        _("how we meet"), max_length=12, choices=Format.choices, default=Format.MIXED
    )
    confidentiality = models.TextField(_("confidentiality"), max_length=TEXT_MAX)
    deadline = models.DateField(_("deadline"))
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    # When both signatures were first in place (the "agreement within N days" measure).
    first_signed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every write checks and bumps it, so nothing is overwritten.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("mentoring agreement")
        verbose_name_plural = _("mentoring agreements")

    def __str__(self) -> str:
        return str(self.mentorship)

    @property
    def is_signed(self) -> bool:
        return self.mentor_signed_at is not None and self.mentee_signed_at is not None

    def signed_at_for(self, role: str):
        return self.mentor_signed_at if role == "mentor" else self.mentee_signed_at


class AgreementSignature(TimeStamped):
    """Every signature ever given, kept when a change asks both to sign again."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField()
    role = models.CharField(max_length=8)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version", "role"], name="goals_signature_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer} v{self.version}"


class GoalQuerySet(models.QuerySet):
    def open(self) -> GoalQuerySet:
        return self.exclude(status=Goal.Status.DROPPED)


class Goal(TimeStamped, PublicCode):
    """A SMART learning goal: what, how success is measured, by when, linked to objectives."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        DROPPED = "dropped", _("dropped")

    class Review(models.TextChoices):
        PROPOSED = "proposed", _("waiting for the mentee")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        AGREED = "agreed", _("agreed")

    mentorship = models.ForeignKey(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=TITLE_MAX)
    description = models.TextField(_("details"), max_length=SHORT_TEXT_MAX, blank=True)
    measure = models.CharField(_("how success is measured"), max_length=SHORT_TEXT_MAX)
    target_date = models.DateField(_("target date"))
    objectives = models.ManyToManyField(
        "programs.Objective",
        verbose_name=_("program objectives"),
        blank=True,
        related_name="goals",
    )
    skills = models.ManyToManyField(
        "people.Skill", verbose_name=_("skills"), blank=True, related_name="goals"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.PROPOSED)
    review_comment = models.TextField(max_length=SHORT_TEXT_MAX, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals_written"
    )
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["order", "created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    @property
    def was_agreed(self) -> bool:
        return self.agreed_at is not None


class GoalChange(TimeStamped):
    """Who changed what in a goal (or its steps) after the mentee agreed to it.

    Field names and raw values are stored, not labels, so each reader sees the history in
    their own language.
    """

    class Action(models.TextChoices):
        EDITED = "edited", _("Goal edited")
        STATUS = "status", _("Status changed")
        STEP_ADDED = "step_added", _("Step added")
        STEP_CHANGED = "step_changed", _("Step changed")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goal_changes"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    step_title = models.CharField(max_length=TITLE_MAX, blank=True)
    # [{"field": "title" | "step_status" | ..., "before": raw text, "after": raw text}]
    details = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("goal change")
        verbose_name_plural = _("goal changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.step_title}".strip()

    def rows(self) -> list[dict]:
        """The details with labels and values in the reader's language."""
        return [
            {
                "label": _change_label(item["field"]),
                "before": _change_value(item["field"], item["before"]),
                "after": _change_value(item["field"], item["after"]),
            }
            for item in self.details
        ]


def _change_label(field: str) -> str:
    if field.startswith("step_"):
        return str(ActionStep._meta.get_field(field.removeprefix("step_")).verbose_name)
    return str(Goal._meta.get_field(field).verbose_name)


def _change_value(field: str, value: str) -> str:
    choices = {
        "status": Goal.Status,
        "step_status": ActionStep.Status,
        "step_owner": ActionStep.Owner,
    }
    if field in choices and value in choices[field].values:
        return str(choices[field](value).label)
    if field in ("target_date", "step_due_on") and value:
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value


class ActionStepQuerySet(models.QuerySet):
    def pending(self) -> ActionStepQuerySet:
        return self.filter(status__in=ActionStep.PENDING)


class ActionStep(TimeStamped, PublicCode):
    class Owner(models.TextChoices):
        MENTOR = "mentor", _("mentor")
        MENTEE = "mentee", _("mentee")

    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    PENDING = ("todo", "in_progress")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=TITLE_MAX)
    owner = models.CharField(_("who does it"), max_length=8, choices=Owner.choices)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="todo")
    completed_at = models.DateTimeField(null=True, blank=True)
    from_meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_steps",
    )
    version = models.PositiveIntegerField(default=1)

    objects = ActionStepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at", "pk"]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        indexes = [models.Index(fields=["status", "due_on"], name="goals_step_status_due")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status in self.PENDING and self.due_on < (today or timezone.localdate())


class MeetingQuerySet(models.QuerySet):
    def scheduled(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.SCHEDULED)

    def upcoming(self, now=None) -> MeetingQuerySet:
        return self.scheduled().filter(starts_at__gte=now or timezone.now())


class Meeting(TimeStamped, PublicCode):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        VIDEO = "video", _("video call")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")

    mentorship = models.ForeignKey(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(10), MaxValueValidator(480)],
    )
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.VIDEO)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    held_minutes = models.PositiveSmallIntegerField(
        _("how long it lasted (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    shared_notes = models.TextField(_("shared notes"), max_length=NOTES_MAX, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_scheduled"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_logged",
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["mentorship", "status", "starts_at"], name="goals_meeting_pair"),
            models.Index(fields=["status", "starts_at"], name="goals_meeting_due"),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class PrivateNote(TimeStamped):
    """A member's own notes on a meeting: only their author ever sees them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_meeting_notes"
    )
    text = models.TextField(_("private notes"), max_length=NOTES_MAX, blank=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="goals_private_note_one_per_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.meeting_id}"


class CalendarFeed(TimeStamped):
    """A person's secret calendar subscription address (resettable)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)


class ClosingReview(TimeStamped):
    """One member's end-of-partnership review: goals rated and a final reflection."""

    mentorship = models.ForeignKey(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="closing_reviews"
    )
    role = models.CharField(max_length=8)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closing_reviews"
    )
    reflection = models.TextField(_("final reflection"), max_length=TEXT_MAX)

    class Meta:
        verbose_name = _("closing review")
        verbose_name_plural = _("closing reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "role"], name="goals_closing_review_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.role}"


class GoalRating(TimeStamped):
    class Rating(models.TextChoices):
        ACHIEVED = "achieved", _("achieved")
        PARTLY = "partly", _("partly achieved")
        NOT = "not", _("not achieved")

    review = models.ForeignKey(ClosingReview, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(max_length=10, choices=Rating.choices)

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goals_rating_once_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} · {self.rating}"


class Extension(TimeStamped, PublicCode):
    """A member asks to move the deadline; HR approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for HR")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    mentorship = models.ForeignKey(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extensions_requested"
    )
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("why"), max_length=SHORT_TEXT_MAX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extensions_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(max_length=SHORT_TEXT_MAX, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=Q(status="pending"),
                name="goals_extension_one_pending_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} → {self.new_deadline}"
