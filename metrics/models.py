"""Stage 6 (measure): surveys and their answers, indicator snapshots, feedback, success stories."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(TimeStamped, PublicCode):
    """A questionnaire HR sends to participants of one program (or a shipped template)."""

    class Kind(models.TextChoices):
        PULSE = "pulse", _("pulse check-in")
        MIDPOINT = "midpoint", _("midpoint survey")
        FINAL = "final", _("final survey")
        TRAINING = "training", _("training feedback")
        PROGRAM = "program", _("program feedback")
        CUSTOM = "custom", _("custom survey")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    # Text in other languages, by language code: {"en": {"title": ..., "intro": ...}}.
    translations = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys_created"
    )

    class Meta:
        ordering = ["program", "created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TimeStamped, PublicCode):
    class Kind(models.TextChoices):
        SCALE = "scale", _("scale from 1 to 5")
        RECOMMEND = "recommend", _("recommendation from 0 to 10")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TEXT = "text", _("free text")
        SKILL_GROWTH = "skill_growth", _("skills before and after (1 to 5)")

    class Measures(models.TextChoices):
        """What an answer tells the indicators (outcome measures of stage 6)."""

        NONE = "", _("nothing in particular")
        SATISFACTION = "satisfaction", _("satisfaction")
        RECOMMENDATION = "recommendation", _("recommendation")
        IMPACT = "impact", _("impact on development")
        SKILL_GROWTH = "skill_growth", _("skill growth")
        IMPROVEMENT = "improvement", _("improvement suggestions")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type of answer"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # {"en": {"text": ..., "choices": [...]}}: the same question for readers of other languages.
    translations = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    measures = models.CharField(_("measures"), max_length=16, choices=Measures.choices, blank=True)

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text


class SurveySchedule(TimeStamped, PublicCode):
    """When a survey goes to whom: relative to each pair's start or end, or on a fixed date."""

    class Anchor(models.TextChoices):
        PAIR_START = "pair_start", _("after each pair starts")
        PAIR_END = "pair_end", _("relative to each pair's deadline")
        FIXED = "fixed", _("on a fixed date")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="schedules")
    anchor = models.CharField(_("when"), max_length=12, choices=Anchor.choices)
    offset_days = models.SmallIntegerField(
        _("days from the start or deadline"),
        default=0,
        validators=[MinValueValidator(-365), MaxValueValidator(365)],
    )
    send_on = models.DateField(_("date"), null=True, blank=True)
    to_mentors = models.BooleanField(_("mentors"), default=True)
    to_mentees = models.BooleanField(_("mentees"), default=True)
    to_managers = models.BooleanField(_("the mentees' managers"), default=False)
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), default=5, validators=[MinValueValidator(1)]
    )
    open_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=14, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["survey", "anchor", "offset_days"]
        verbose_name = _("survey schedule")
        verbose_name_plural = _("survey schedules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(anchor="fixed") | Q(send_on__isnull=False),
                name="metrics_schedule_fixed_needs_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} ({self.get_anchor_display()})"


class SurveyRequest(TimeStamped, PublicCode):
    """One person asked to answer one survey once, through a personal link."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed without an answer")

    class Role(models.TextChoices):
        MENTOR = "mentor", _("mentor")
        MENTEE = "mentee", _("mentee")
        MANAGER = "manager", _("manager")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="requests")
    schedule = models.ForeignKey(
        SurveySchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_requests"
    )
    mentorship = models.ForeignKey(
        "matching.Mentorship",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_requests",
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    # What makes this request unique for its schedule: e.g. "pair:<id>" or "date:2026-12-01".
    occurrence = models.CharField(max_length=80)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closes_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey request")
        verbose_name_plural = _("survey requests")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person", "occurrence"],
                name="metrics_request_once_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.person}"


class SurveyAnswer(TimeStamped):
    """One answer; never shown with its author's name outside HR's aggregates."""

    request = models.ForeignKey(SurveyRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    # int for scale / recommend, str for single / text, list for multiple,
    # {"skill": id, "before": n, "after": n} items (a list) for skill growth.
    value = models.JSONField()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question"], name="metrics_answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class IndicatorSnapshot(TimeStamped):
    """An indicator's value for a program on a day, kept so objectives show a trend."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="indicator_snapshots"
    )
    indicator = models.CharField(max_length=48)
    day = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["program", "indicator", "day"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indicator", "day"], name="metrics_snapshot_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.day}: {self.value}"


class Feedback(TimeStamped, PublicCode):
    """A participant's suggestion about the program; HR triages it and keeps the improvements."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        DISMISSED = "dismissed", _("not planned")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    text = models.TextField(_("your feedback"), max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    improvement = models.CharField(
        _("improvement made"),
        max_length=300,
        blank=True,
        help_text=_("What changed thanks to this feedback (shown in the list of improvements)."),
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return self.text[:60]


class SuccessStory(TimeStamped, PublicCode):
    """What a pair achieved, published only with both members' consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_CONSENT = "awaiting_consent", _("waiting for consent")
        READY = "ready", _("ready to publish")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("consent withdrawn")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="success_stories"
    )
    mentorship = models.ForeignKey(
        "matching.Mentorship", on_delete=models.CASCADE, related_name="success_stories"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories_written"
    )
    title = models.CharField(_("title"), max_length=150)
    worked_on = models.TextField(_("what we worked on"), max_length=3000)
    what_changed = models.TextField(_("what changed"), max_length=3000)
    quote = models.CharField(_("a quote"), max_length=300, blank=True)
    status = models.CharField(max_length=18, choices=Status.choices, default=Status.DRAFT)
    mentor_consent_at = models.DateTimeField(null=True, blank=True)
    mentee_consent_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories_published",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(mentor_consent_at__isnull=False) & Q(mentee_consent_at__isnull=False)),
                name="metrics_story_published_with_both_consents",
            ),
        ]

    def __str__(self) -> str:
        return self.title
