"""Forms of the agreement. They clean and normalise input; the services persist it."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..forms import DATE, version_field
from ..models import Agreement


def _markdown_help() -> str:
    return _("Markdown: **bold**, lists, links.")


class AgreementForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Agreement
        fields = ["ground_rules", "cadence_days", "meeting_format", "confidentiality", "deadline"]
        widgets = {
            "ground_rules": forms.Textarea(attrs={"rows": 8}),
            "confidentiality": forms.Textarea(attrs={"rows": 4}),
            "deadline": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground_rules"].help_text = _markdown_help()
        self.fields["confidentiality"].help_text = _markdown_help()
        self.fields["deadline"].help_text = _(
            "Within the program (it ends on %(date)s). Both of you sign again after any change."
        ) % {"date": date_format(self.instance.mentorship.program.ends_on, "DATE_FORMAT")}
        if not self.is_bound:
            self.initial["version"] = self.instance.version
