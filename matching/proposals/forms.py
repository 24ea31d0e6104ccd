"""Forms of HR's proposals (managed programs) and of the approvals that follow them."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import text_field


class ProposalLockForm(forms.Form):
    locked = forms.TypedChoiceField(
        choices=[("1", _("Keep")), ("0", _("Let it change"))], coerce=lambda value: value == "1"
    )


class _CodeListField(forms.Field):
    """Several UUIDs under one name (checkboxes that share it)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[uuid.UUID]:
        codes = []
        for item in value or []:
            try:
                code = uuid.UUID(str(item))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            if code not in codes:
                codes.append(code)
        return codes


def _override_field() -> forms.CharField:
    return text_field(
        _("Why make this pair anyway"),
        _("Kept on the pair and in the audit log."),
        required=False,
    )


class ProposalSwapForm(forms.Form):
    pairs = _CodeListField(
        label=_("Pairs to swap"),
        error_messages={
            "required": _("Choose exactly two draft pairs to swap their mentors."),
            "invalid": _("Choose exactly two draft pairs to swap their mentors."),
        },
    )
    override_reason = _override_field()

    def clean_override_reason(self) -> str:
        return self.cleaned_data["override_reason"].strip()

    def clean_pairs(self) -> list[uuid.UUID]:
        pairs = self.cleaned_data["pairs"]
        if len(pairs) != 2:
            raise forms.ValidationError(_("Choose exactly two draft pairs to swap their mentors."))
        return pairs


class ProposalAssignForm(forms.Form):
    """HR pairs one unmatched mentee with a mentor by hand, both named by application code.

    The proposals page renders the choice of mentors itself (only those with places in the
    mentee's area); the service checks the pair again when it is made.
    """

    mentee = forms.UUIDField(widget=forms.HiddenInput)
    mentor = forms.UUIDField(label=_("Mentor"), error_messages={"required": _("Choose a mentor.")})
    override_reason = _override_field()
    below_floor_ok = forms.BooleanField(
        label=_("Assign even though the score is below the program's minimum"), required=False
    )

    def clean_override_reason(self) -> str:
        return self.cleaned_data["override_reason"].strip()


# --- approvals ------------------------------------------------------------------------------


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
