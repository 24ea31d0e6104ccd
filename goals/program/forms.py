"""Forms of HR's tab. They clean and normalise input; the services persist it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SHORT_TEXT_MAX, ProgramSettings


class ProgramSettingsForm(forms.ModelForm):
    class Meta:
        model = ProgramSettings
        fields = ["goals_due_days", "ground_rules", "confidentiality"]
        widgets = {
            "ground_rules": forms.Textarea(attrs={"rows": 8}),
            "confidentiality": forms.Textarea(attrs={"rows": 4}),
        }


class ExtensionDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve the new deadline")), (DECLINE, _("Decline"))],
    )
    comment = forms.CharField(
        label=_("Comment for the pair"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVE
