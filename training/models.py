"""Stage 4 (train): modules with sections and knowledge checks, requirements, completions,
workshops.

A module is written in one language; its translations share a `family`. Requirements point
at one translation, and completing any translation of a family completes it for the person.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped
from programs.models import Event, EventRegistration, Role, event_duration, event_places


class Audience(models.TextChoices):
    MENTOR = "mentor", _("mentors")
    MENTEE = "mentee", _("mentees")
    BOTH = "both", _("mentors and mentees")


def audiences_for(role: str) -> tuple[str, str]:
    """The audiences whose modules are meant for `role`."""
    return (role, Audience.BOTH)


class ModuleQuerySet(models.QuerySet):
    def library(self) -> ModuleQuerySet:
        return self.filter(program__isnull=True)

    def published(self) -> ModuleQuerySet:
        return self.filter(status=Module.Status.PUBLISHED)

    def current(self) -> ModuleQuerySet:
        """Everything HR works with: drafts and published modules, not removed ones."""
        return self.exclude(status=Module.Status.ARCHIVED)

    def visible_to(self, user) -> ModuleQuerySet:
        """The one way modules are read: HR sees all; others what their roles call for."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_hr:
            return self
        return self.for_participant(user)

    def for_participant(self, user) -> ModuleQuerySet:
        """What `user`'s programs require of their role, the published modules of those
        programs and of the library meant for their roles, and whatever they completed.
        """
        from programs.models import Application, Program

        enrolments = list(
            Application.objects.enrolled()
            .filter(person=user)
            .exclude(program__status=Program.Status.DRAFT)
            .values_list("program_id", "role")
        )
        visible = Q(family__in=Completion.objects.filter(person=user).values("family"))
        roles: set[str] = set()
        for program_id, role in enrolments:
            roles.add(role)
            required = Requirement.objects.filter(program_id=program_id, role=role)
            visible |= Q(
                status=Module.Status.PUBLISHED, family__in=required.values("module__family")
            )
            visible |= Q(
                status=Module.Status.PUBLISHED,
                program_id=program_id,
                audience__in=audiences_for(role),
            )
        if roles:
            visible |= Q(
                status=Module.Status.PUBLISHED,
                program__isnull=True,
                audience__in=[*roles, Audience.BOTH],
            )
        return self.filter(visible)


class Module(TimeStamped, PublicCode):
    class Topic(models.TextChoices):
        ROLE_EXPECTATIONS = "role_expectations", _("role expectations")
        PARTICIPATION = "participation", _("taking part")
        CONVERSATION_TOOLS = "conversation_tools", _("conversation tools")
        COMMUNICATION = "communication", _("communication strategies")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("removed")

    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_modules",
        help_text=_("Empty: the module is in the library, for every program."),
    )
    library_key = models.SlugField(max_length=80, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in checklists."),
    )
    audience = models.CharField(
        _("for"), max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of right answers needed to pass the knowledge check."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_modules_created",
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "language"], name="training_module_one_per_language"
            ),
            models.UniqueConstraint(
                fields=["library_key", "language"],
                condition=Q(program__isnull=True) & ~Q(library_key=""),
                name="training_module_library_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1) & Q(pass_mark__lte=100),
                name="training_module_pass_mark_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:module", args=[self.code])

    @property
    def needs_sign_off(self) -> bool:
        """Role expectations are finished by confirming them, not just by reading."""
        return self.topic == self.Topic.ROLE_EXPECTATIONS

    @property
    def roles(self) -> tuple[str, ...]:
        if self.audience == Audience.BOTH:
            return (Role.MENTOR, Role.MENTEE)
        return (self.audience,)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(TimeStamped, PublicCode):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=20000,
        help_text=_("Markdown: ## headings, **bold**, lists and links. HTML is shown as text."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class Question(TimeStamped, PublicCode):
    """A multiple-choice question of a module's knowledge check; one choice is right."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("right choice"), default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("knowledge check question")
        verbose_name_plural = _("knowledge check questions")

    def __str__(self) -> str:
        return self.text


class Attempt(TimeStamped, PublicCode):
    """One submitted knowledge check: every try is kept with its score and date."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    # Rendered into the form: a form submitted twice (double click, two tabs) counts once.
    nonce = models.UUIDField()
    answers = models.JSONField(default=dict)
    wrong = models.JSONField(default=list)
    correct_count = models.PositiveSmallIntegerField()
    question_count = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge check attempt")
        verbose_name_plural = _("knowledge check attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "nonce"], name="training_attempt_once_per_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.module} · {self.score}%"


class Completion(TimeStamped):
    """A person finished a module (any translation of its family); the date is kept."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    family = models.UUIDField(db_index=True)
    completed_at = models.DateTimeField(_("completed"))
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("expectations confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("completed module")
        verbose_name_plural = _("completed modules")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "family"], name="training_completion_once_per_module"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ✓ {self.module}"


class Requirement(TimeStamped, PublicCode):
    """A module a program requires of its mentors or mentees, due relative to the start."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="training_requirements"
    )
    role = models.CharField(_("required of"), max_length=8, choices=Role.choices)
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="requirements"
    )
    due_days = models.SmallIntegerField(
        _("due (days from the program start)"),
        default=0,
        validators=[MinValueValidator(-365), MaxValueValidator(365)],
        help_text=_("0 is the start day, -7 a week before it, 14 two weeks after it."),
    )

    class Meta:
        ordering = ["role", "due_days", "pk"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "role", "module"], name="training_requirement_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.get_role_display()} · {self.module}"

    @property
    def due_on(self) -> date:
        return self.program.starts_on + timedelta(days=self.due_days)

    @property
    def days_before_start(self) -> int:
        return -self.due_days


class Workshop(Event):
    """A live training session of a program, run like an information session."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="workshops"
    )
    audience = models.CharField(
        _("for"), max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module it covers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    # Longer than an information session, for a smaller group.
    duration_minutes = event_duration(default=90)
    capacity = event_places(default=20)

    class Meta(Event.Meta):
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    @property
    def roles(self) -> tuple[str, ...]:
        if self.audience == Audience.BOTH:
            return (Role.MENTOR, Role.MENTEE)
        return (self.audience,)


class WorkshopRegistration(EventRegistration):
    event_field = "workshop"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )

    class Meta(EventRegistration.Meta):
        verbose_name = _("workshop registration")
        verbose_name_plural = _("workshop registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], name="training_registration_once_per_workshop"
            ),
        ]
