"""Form helpers shared by every app's views."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from .services import AlreadySubmitted, form_submit_once

__all__ = ["AlreadySubmitted", "OneTimeTokenMixin", "add_service_errors", "submit_once"]

T = TypeVar("T")


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class OneTimeTokenMixin(forms.Form):
    """Mix into every form that creates something: a hidden one-time token, new on each
    rendering, that `submit_once` consumes. Without it (an old page) nothing is checked."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


def submit_once(form: OneTimeTokenMixin, create: Callable[[], T], *, then: Callable[[T], str]) -> T:
    """Run `create` once per token of `form`; `then(result)` is the page to show after.

    A second send of the same form raises `AlreadySubmitted` with the first one's page
    (see `core.services.form_submit_once`).
    """
    return form_submit_once(token=form.cleaned_data.get("form_token"), create=create, then=then)
