"""Form pieces the features of stage 5 share: the date widget, the version field, confirmations.

Each feature's own forms are in its `forms.py`; they clean and normalise input, the
feature's services persist it.
"""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(forms.Form):
    """No fields: a confirmation step, whose service errors show above its button."""


class VersionForm(forms.Form):
    """Only the version the person read: signing, confirming on an object that may change."""

    version = version_field()
