"""Form pieces that every matching feature uses; each feature's own forms live in its forms.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


class MentorshipEndForm(forms.Form):
    reason = text_field(
        _("Why does the partnership end?"),
        _("The other member of the pair and the HR team read this."),
    )


class PairingDecisionForm(forms.Form):
    """The mentee's manager approves a pairing, or the mentor confirms it; both may decline."""

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)
    comment = text_field(
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
