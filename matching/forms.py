"""Form pieces that every matching feature uses; each feature's own forms live in its forms.py."""

from __future__ import annotations

from django import forms

TEXT_MAX_LENGTH = 2000


def text_field(label, help_text="", required=True) -> forms.CharField:
    """A free-text answer (a reason, a comment), the same size on every form."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class ConfirmForm(forms.Form):
    """No fields: a confirmation step, whose service errors show above its button."""


def form_data(request):
    """The POST data to bind a form to, also when it has no fields (a confirmation step)."""
    return request.POST if request.method == "POST" else None
