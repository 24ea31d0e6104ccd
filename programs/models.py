"""Stages 1 (define) and 2 (promote): programs, objectives, questionnaires, outreach."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped

from .indicators import INDICATOR_CHOICES


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Role(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


class ProgramQuerySet(models.QuerySet):
    def open_for_applications(self, today: date | None = None) -> ProgramQuerySet:
        today = today or timezone.localdate()
        return self.filter(
            status=Program.Status.RECRUITING,
            recruitment_opens__lte=today,
            recruitment_closes__gte=today,
        )

    def visible_to_employees(self) -> ProgramQuerySet:
        return self.exclude(status=Program.Status.DRAFT)


class Program(TimeStamped, PublicCode):
    class Focus(models.TextChoices):
        KNOWLEDGE_TRANSFER = "knowledge_transfer", _("knowledge transfer")
        CAREER = "career", _("career development")
        BUSINESS_ACUMEN = "business_acumen", _("business acumen")
        INTERPERSONAL = "interpersonal", _("interpersonal skills")

    class MatchingMode(models.TextChoices):
        MENTEE_CHOICE = "mentee_choice", _("mentees choose from a catalogue")
        MANAGED = "managed", _("managed pairing within the same area")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RECRUITING = "recruiting", _("recruiting")
        MATCHING = "matching", _("matching")
        RUNNING = "running", _("running")
        CLOSED = "closed", _("closed")

    class RequestOrder(models.TextChoices):
        IN_ORDER = "in_order", _("one at a time, in the mentee's order")
        ALL_AT_ONCE = "all_at_once", _("all at once, the first to accept wins")

    class Cadence(models.IntegerChoices):
        WEEKLY = 7, _("every week")
        FORTNIGHTLY = 14, _("every two weeks")
        MONTHLY = 30, _("every month")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=280,
        help_text=_("One or two sentences shown in the list of programs."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What, why and for whom. Markdown: **bold**, lists, links."),
    )
    focus = models.CharField(_("focus"), max_length=24, choices=Focus.choices)
    matching_mode = models.CharField(_("matching"), max_length=16, choices=MatchingMode.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    areas = models.ManyToManyField(
        "people.Department",
        verbose_name=_("areas in scope"),
        blank=True,
        related_name="programs",
        help_text=_("Departments (with everything below them). Empty: the whole company."),
    )
    min_tenure_months = models.PositiveSmallIntegerField(
        _("minimum time in the company (months)"),
        default=0,
        validators=[MaxValueValidator(600)],
    )
    recruitment_opens = models.DateField(_("recruitment opens"))
    recruitment_closes = models.DateField(_("recruitment closes"))
    matching_deadline = models.DateField(_("matching deadline"))
    starts_on = models.DateField(_("program starts"))
    ends_on = models.DateField(_("program ends"))
    partnership_weeks = models.PositiveSmallIntegerField(
        _("default partnership length (weeks)"),
        default=26,
        validators=[MinValueValidator(1), MaxValueValidator(156)],
    )
    mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees per mentor"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    target_pairs = models.PositiveIntegerField(
        _("target number of pairs"), default=10, validators=[MinValueValidator(1)]
    )
    meeting_every_days = models.PositiveSmallIntegerField(
        _("expected meetings"), choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    manager_approval_required = models.BooleanField(
        _("the mentee's manager approves participation"), default=False
    )
    max_requests = models.PositiveSmallIntegerField(
        _("mentors a mentee may request at once"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Mentee choice only: requests are ranked; the first mentor to accept wins."),
    )
    request_reply_days = models.PositiveSmallIntegerField(
        _("days a mentor has to reply to a request"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    hr_approves_pairs = models.BooleanField(
        _("HR approves the pairs that mentees and mentors agree"), default=False
    )
    training_required_to_match = models.BooleanField(
        _("required training must be finished before matching"),
        default=False,
        help_text=_(
            "Mentees cannot request mentors, and mentors cannot accept, until their required "
            "training modules are complete."
        ),
    )
    area_level = models.PositiveSmallIntegerField(
        _("level of the organisation chart that makes an area"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Whole-company programs: 1 is the top level. Empty: the first level that has more "
            "than one department."
        ),
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum match score (out of 100)"),
        default=40,
        validators=[MaxValueValidator(100)],
        help_text=_("Pairs below this score are not proposed; HR can still make them by hand."),
    )
    request_order = models.CharField(
        _("how requests reach mentors"),
        max_length=12,
        choices=RequestOrder.choices,
        default=RequestOrder.IN_ORDER,
    )
    show_rank_to_mentor = models.BooleanField(
        _("mentors see where they stand in the mentee's order"), default=False
    )
    personal_data_months = models.PositiveSmallIntegerField(
        _("months personal texts are kept after the program ends"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: kept until HR deletes them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="programs_created",
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-recruitment_opens", "name"]
        verbose_name = _("mentoring program")
        verbose_name_plural = _("mentoring programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(recruitment_opens__lte=models.F("recruitment_closes"))
                & Q(recruitment_closes__lte=models.F("matching_deadline"))
                & Q(matching_deadline__lte=models.F("starts_on"))
                & Q(starts_on__lt=models.F("ends_on")),
                name="programs_program_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(mentor_capacity__gte=1) & Q(target_pairs__gte=1),
                name="programs_program_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.slug])

    @staticmethod
    def default_matching_mode(focus: str) -> str:
        if focus == Program.Focus.KNOWLEDGE_TRANSFER:
            return Program.MatchingMode.MANAGED
        return Program.MatchingMode.MENTEE_CHOICE

    def is_recruiting(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == Program.Status.RECRUITING
            and self.recruitment_opens <= today <= self.recruitment_closes
        )

    @property
    def default_deadline(self) -> date:
        return min(self.starts_on + timedelta(weeks=self.partnership_weeks), self.ends_on)


class Objective(TimeStamped):
    """What the program must achieve, measured by an indicator (stage 6 computes it)."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity measure")
        PROCESS = "process", _("process measure")
        OUTCOME = "outcome", _("outcome measure")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    indicator = models.CharField(_("measured by"), max_length=48, choices=INDICATOR_CHOICES)
    target = models.DecimalField(_("target value"), max_digits=10, decimal_places=2)
    target_date = models.DateField(_("by"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        from .indicators import INDICATORS

        return INDICATORS[self.indicator].kind


class Question(TimeStamped, PublicCode):
    """One question of a program's application form, for mentors or for mentees."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SKILLS = "skills", _("skills from the directory")
        SCALE = "scale", _("scale from 1 to 5")
        TEXT = "text", _("free text")

    class Criterion(models.TextChoices):
        NONE = "", _("not used for matching")
        SKILLS_WANTED = "skills_wanted", _("skills the mentee wants to learn")
        SKILLS_OFFERED = "skills_offered", _("skills the mentor can share")
        EXPERIENCE = "experience", _("experience")
        COMMUNICATION_STYLE = "communication_style", _("communication style")
        AVAILABILITY = "availability", _("availability")
        AREA = "area", _("same or different area")
        LANGUAGE = "language", _("language")
        LOCATION = "location", _("location")
        CAPACITY = "capacity", _("how many mentees")

    class Weight(models.TextChoices):
        MUST = "must", _("must have")
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")
        IGNORE = "ignore", _("ignore")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(_("asked to"), max_length=8, choices=Role.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("type of answer"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    criterion = models.CharField(
        _("feeds matching as"), max_length=24, choices=Criterion.choices, blank=True
    )
    weight = models.CharField(
        _("matching weight"), max_length=8, choices=Weight.choices, default=Weight.MEDIUM
    )
    # The mentee's answer is part of what they ask for ("the wish"): shown to their mentor (and
    # the mentors they ask), their manager and the pair, not only to HR.
    shown_to_pair = models.BooleanField(
        _("shown to the mentor, the manager and the pair"),
        default=False,
        help_text=_(
            "Mentee questions only: the answer appears where the mentor answers a request, where "
            "the manager approves the pairing, on the pair's page and when the mentor writes goals."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)
    # The question in other interface languages: {"en": {"text", "help_text", "choices"}},
    # choices in the same order as `choices`. Answers always store the base choices.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["role", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


def event_duration(*, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=default, validators=[MinValueValidator(10)]
    )


def event_places(*, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("places"), default=default, validators=[MinValueValidator(1)]
    )


class Event(TimeStamped, PublicCode):
    """Something people register for: places, a waiting list, a calendar entry, attendance.

    Information sessions and training workshops are events (`programs.events` holds their
    rules). Each kind declares its own `program` link, whose related name differs, and may
    give its length and number of places other defaults with `event_duration`/`event_places`.
    """

    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = event_duration(default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    capacity = event_places(default=30)
    description = models.TextField(_("description"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="%(app_label)s_%(class)s_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class EventRegistration(TimeStamped):
    """One person's place, or spot on the waiting list, at an event; `attended` once it ran.

    Each kind declares the foreign key to its event (named in `event_field`) and to the
    person, whose related names differ, and its once-per-event constraint.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event_field: ClassVar[str]

    status = models.CharField(max_length=12, choices=Status.choices)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.person} → {getattr(self, self.event_field)}"


class InfoSession(Event):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")

    class Meta(Event.Meta):
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")


class Registration(EventRegistration):
    event_field = "session"

    session = models.ForeignKey(InfoSession, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )

    class Meta(EventRegistration.Meta):
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="programs_registration_once_per_session"
            ),
        ]


class Outreach(TimeStamped, PublicCode):
    """Someone invited to join a program as mentor or mentee, and what came of it."""

    class Status(models.TextChoices):
        SENT = "sent", _("invited")
        OPENED = "opened", _("link opened")
        APPLIED = "applied", _("applied")
        DECLINED = "declined", _("declined")

    role = models.CharField(_("as"), max_length=8, choices=Role.choices)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Appeal(Outreach):
    """HR's direct invitation to a qualified person."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="appeals")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals_received"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals_sent"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("direct invitation")
        verbose_name_plural = _("direct invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "role", "person"], name="programs_appeal_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Recommendation(Outreach):
    """A manager proposes one of their reports."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="recommendations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations_received"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations_made"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("manager recommendation")
        verbose_name_plural = _("manager recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "role", "person"],
                name="programs_recommendation_once_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Referral(Outreach):
    """A colleague suggests someone as a mentor."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("colleague referral")
        verbose_name_plural = _("colleague referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "role", "person", "by"],
                name="programs_referral_once_per_referrer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class ApplicationQuerySet(models.QuerySet):
    def enrolled(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.APPROVED)

    def active(self) -> ApplicationQuerySet:
        return self.exclude(status=Application.Status.WITHDRAWN)


class Application(TimeStamped, PublicCode):
    """A person's application to a program; once approved, their enrolment."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for review")
        APPROVED = "approved", _("approved")
        WAITLISTED = "waitlisted", _("on the waiting list")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class ManagerDecision(models.TextChoices):
        NOT_NEEDED = "not_needed", _("not needed")
        PENDING = "pending", _("waiting for the manager")
        APPROVED = "approved", _("approved by the manager")
        DECLINED = "declined", _("declined by the manager")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(_("as"), max_length=8, choices=Role.choices)
    answers = models.JSONField(default=dict, blank=True)
    motivation = models.TextField(_("why do you want to take part?"), max_length=3000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    manager_decision = models.CharField(
        max_length=12, choices=ManagerDecision.choices, default=ManagerDecision.NOT_NEEDED
    )
    manager_comment = models.TextField(max_length=2000, blank=True)
    manager_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations_decided",
    )
    manager_decided_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at the same time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Mentors only. Empty: the program's default."),
    )
    paused = models.BooleanField(
        _("not taking new mentees for now"),
        default=False,
        help_text=_("Mentors only: a paused mentor does not appear in the catalogue."),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=~Q(status="withdrawn"),
                name="programs_application_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.program} ({self.get_role_display()})"

    @property
    def mentor_capacity(self) -> int:
        return self.capacity or self.program.mentor_capacity
