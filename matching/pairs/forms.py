"""Forms of a pair's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import text_field


class MentorshipEndForm(forms.Form):
    reason = text_field(
        _("Why does the partnership end?"),
        _("The other member of the pair and the HR team read this."),
    )
