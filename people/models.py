"""The organisation directory: people, departments, skills and languages."""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped

HR_GROUP = "hr"


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively, so we store them lower-cased."""
    return (email or "").strip().lower()


class Department(TimeStamped, PublicCode):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="people_department_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:department_edit", args=[self.code])


def department_subtree_ids(root_ids: set[int] | list[int]) -> set[int]:
    """The ids of the given departments and everything below them (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def department_depth() -> int:
    """How many levels the organisation chart has (0 without departments; one query)."""
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    deepest = 0
    for pk in parents:
        depth, node, seen = 0, pk, set()
        while node is not None and node not in seen:
            seen.add(node)
            depth += 1
            node = parents.get(node)
        deepest = max(deepest, depth)
    return deepest


class Skill(TimeStamped, PublicCode):
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="people_skill_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A spoken language, by its ISO 639-1 code (`es`, `en`, `ca`)."""

    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        info = LANG_INFO.get(self.code)
        return gettext(info["name"]) if info else self.code


class UserQuerySet(models.QuerySet):
    def hr_admins(self) -> UserQuerySet:
        return self.filter(groups__name=HR_GROUP, is_active=True)

    def managers(self) -> UserQuerySet:
        return self.filter(reports__isnull=False).distinct()

    def with_directory(self) -> UserQuerySet:
        return self.select_related("department", "manager").prefetch_related("skills", "languages")


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str):
        return self.get(email=normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin, PublicCode):
    email = models.EmailField(_("email"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    hired_on = models.DateField(
        _("in the company since"),
        null=True,
        blank=True,
        help_text=_("Used by programs that require a minimum time in the company."),
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="speakers"
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="people"
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive people cannot sign in and take no part in programs."),
    )
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")),
                name="people_user_not_own_manager",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.code])

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def is_hr(self) -> bool:
        return self.is_active and self.groups.filter(name=HR_GROUP).exists()

    @cached_property
    def is_manager(self) -> bool:
        return self.reports.filter(is_active=True).exists()


class EmployeeImport(TimeStamped, PublicCode):
    """An uploaded employee file, kept between its preview and HR's confirmation."""

    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="employee_imports")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    applied_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")

    def __str__(self) -> str:
        return self.filename


class EmailChange(TimeStamped, PublicCode):
    """HR's request to change a person's sign-in email, pending until it is confirmed.

    The person keeps signing in, and receiving password resets, at `old_email` until the
    new address confirms through a signed link. When the person is another HR admin, a
    second HR admin approves first.
    """

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("waiting for a second HR admin")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("waiting for the new address")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.AWAITING_APPROVAL, Status.AWAITING_CONFIRMATION)

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(_("current email"), max_length=254)
    new_email = models.EmailField(_("new email"), max_length=254)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="email_changes_requested"
    )
    approved_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="email_changes_approved",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email change")
        verbose_name_plural = _("email changes")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["awaiting_approval", "awaiting_confirmation"]),
                name="people_emailchange_one_open_per_person",
            ),
            models.UniqueConstraint(
                Lower("new_email"),
                condition=models.Q(status__in=["awaiting_approval", "awaiting_confirmation"]),
                name="people_emailchange_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
