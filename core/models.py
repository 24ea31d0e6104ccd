"""Abstract bases shared by every app's models."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicCode(models.Model):
    """Objects that appear in URLs carry a random code, never their sequential id."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class SubmittedForm(TimeStamped):
    """A create form that was sent, by its one-time token: a second send of the same form
    (a double click, a replay) finds the row and is taken to what the first one made."""

    token = models.UUIDField(unique=True)
    url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self) -> str:
        return str(self.token)
