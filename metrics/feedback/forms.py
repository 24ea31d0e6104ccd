"""Forms of program feedback: a participant's suggestion and HR's triage."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Feedback
from .services import IMPROVEMENT_MAX, TEXT_MAX


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What works, what does not, what you would change. HR reads it with your name, "
            "so it can follow up with you."
        ),
    )


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Feedback.Status.choices)
    improvement = forms.CharField(
        label=_("Improvement made"),
        max_length=IMPROVEMENT_MAX,
        required=False,
        help_text=_(
            "Needed when it is done: participants see it in the list of improvements, "
            "without the name of who asked."
        ),
    )
