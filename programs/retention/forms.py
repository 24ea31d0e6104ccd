from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteNowForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the program's name to confirm"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
