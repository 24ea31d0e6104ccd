"""The audit log: who did or read what, when, and from where. Rows are written once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryIsFinal(Exception):
    """An audit entry was about to be changed or deleted: the log is append-only."""


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EntryIsFinal("Audit entries cannot be changed.")

    def delete(self):
        raise EntryIsFinal("Audit entries cannot be deleted.")

    def concerning(self, person) -> EntryQuerySet:
        """Entries where `person` acted or was acted upon."""
        return self.filter(models.Q(actor=person) | models.Q(person=person))


class Entry(models.Model):
    class Action(models.TextChoices):
        PERSON_CREATED = "person.created", _("Person added")
        PERSON_EDITED = "person.edited", _("Person edited")
        PERSON_DEACTIVATED = "person.deactivated", _("Person deactivated")
        PERSON_REACTIVATED = "person.reactivated", _("Person reactivated")
        PERSON_VIEWED = "person.viewed", _("Person's page opened")
        HR_ROLE_GRANTED = "hr_role.granted", _("HR admin role granted")
        HR_ROLE_REVOKED = "hr_role.revoked", _("HR admin role removed")
        EMAIL_CHANGE_REQUESTED = "email_change.requested", _("Email change requested")
        EMAIL_CHANGE_APPROVED = "email_change.approved", _("Email change approved")
        EMAIL_CHANGE_REJECTED = "email_change.rejected", _("Email change rejected")
        EMAIL_CHANGE_CANCELLED = "email_change.cancelled", _("Email change cancelled")
        EMAIL_CHANGE_CONFIRMED = "email_change.confirmed", _("Email change confirmed")
        SESSIONS_ENDED = "sessions.ended", _("Sessions ended")
        IMPORT_CONFIRMED = "import.confirmed", _("Employee import applied")
        DIRECTORY_EXPORTED = "directory.exported", _("Directory exported")
        AUDIT_EXPORTED = "audit.exported", _("Audit log exported")
        SURVEY_RESULTS_VIEWED = "survey_results.viewed", _("Survey results opened")
        PROGRAM_RESULTS_VIEWED = "program_results.viewed", _("Program results opened")
        PROGRAM_RESULTS_EXPORTED = "program_results.exported", _("Program results exported")
        TRAINING_PROGRESS_EXPORTED = "training_progress.exported", _("Training progress exported")
        PERSONAL_DATA_EXPORTED = "personal_data.exported", _("Personal data exported")
        PERSON_ERASED = "person.erased", _("Person erased")
        RETENTION_APPLIED = "retention.applied", _("Retention period applied")
        PROGRAM_PERSONAL_DATA_DELETED = (
            "program.personal_data_deleted",
            _("Program's personal texts deleted"),
        )
        PAIR_RULE_OVERRIDDEN = "pair.rule_overridden", _("Pair made against the never-again rule")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # SET_NULL with the labels kept beside, so the log stays readable whatever happens to
    # the people it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries_made",
    )
    actor_label = models.CharField(_("who"), max_length=400, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    # The person the action concerns, when there is one (filtering "by person").
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries_about",
    )
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("what"), max_length=400, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["action", "created_at"], name="audit_entry_action_when"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise EntryIsFinal("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EntryIsFinal("Audit entries cannot be deleted.")
