"""Forms of stage 3: replies to requests, approvals of pairings, ending a pair."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 2000


def _text(label, help_text="", required=True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class ConfirmForm(forms.Form):
    """No fields: a confirmation step, whose service errors show above its button."""


class RequestDeclineForm(forms.Form):
    reason = _text(
        _("Why do you decline?"),
        _("The mentee reads this. A kind, honest line helps them choose another mentor."),
    )


class MentorshipEndForm(forms.Form):
    reason = _text(
        _("Why does the partnership end?"),
        _("The other member of the pair and the HR team read this."),
    )


class PairingDecisionForm(forms.Form):
    """The mentee's manager approves a pairing, or the mentor confirms it; both may decline."""

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)
    comment = _text(
        _("Comment"),
        _("HR and the pair read it. Required when you decline."),
        required=False,
    )

    def __init__(self, *args, approve_label, decline_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (self.APPROVE, approve_label),
            (self.DECLINE, decline_label),
        ]

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("comment"):
            self.add_error("comment", _("Add a comment so HR knows why."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class HRDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the pair")), (DECLINE, _("Do not approve the pair"))],
        widget=forms.RadioSelect,
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class AvailabilityForm(forms.Form):
    PAUSE = "pause"
    RESUME = "resume"

    action = forms.ChoiceField(
        choices=[(PAUSE, _("Pause new requests")), (RESUME, _("Take new requests again"))]
    )

    @property
    def paused(self) -> bool:
        return self.cleaned_data["action"] == self.PAUSE
