"""Forms of the closing. They clean and normalise input; the services persist it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import DATE
from ..models import SHORT_TEXT_MAX, TEXT_MAX, GoalRating


class ClosingForm(forms.Form):
    reflection = forms.CharField(
        label=_("Final reflection"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you take away, what worked, what you would do differently."),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.title,
                widget=forms.RadioSelect,
                choices=GoalRating.Rating.choices,
            )
        self.order_fields([f"goal_{g.pk}" for g in self.goals] + ["reflection"])

    def ratings(self) -> dict[int, str]:
        return {g.pk: self.cleaned_data.get(f"goal_{g.pk}") for g in self.goals}


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Why do you need more time?"),
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("HR reads this and decides."),
    )
