"""Forms of success stories: writing one, and consenting to (or publishing) a version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeTokenMixin

from ..models import SuccessStory


class StoryForm(OneTimeTokenMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = SuccessStory
        fields = ["title", "worked_on", "what_changed", "quote"]
        widgets = {
            "worked_on": forms.Textarea(attrs={"rows": 5}),
            "what_changed": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "title": _("A short headline, e.g. “From first-time manager to confident leader”."),
            "worked_on": _(
                "The goals you set and how you worked on them. Markdown: **bold**, lists."
            ),
            "what_changed": _("What is different now, for the mentee, the mentor or the team."),
            "quote": _("A sentence from one of you, in your own words (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_quote(self) -> str:
        return " ".join(self.cleaned_data["quote"].split()).strip('“”"')

    def content(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.Meta.fields}


class VersionForm(forms.Form):
    """Only the version the person read: consenting to or publishing an exact text."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WriteForPairForm(forms.Form):
    """HR picks the pair whose story they write on the members' behalf."""

    pair = forms.ModelChoiceField(
        label=_("Pair"), queryset=None, to_field_name="code", empty_label=_("Choose a pair")
    )

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair"].queryset = pairs
        self.fields["pair"].label_from_instance = lambda pair: (
            f"{pair.mentor.get_full_name()} ↔ {pair.mentee.get_full_name()}"
        )
