from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program, Role

from ..models import Module, Requirement


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["role", "module", "due_days"]

    def __init__(self, *args, program: Program, modules, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (Role.MENTEE, _("Mentees")),
            (Role.MENTOR, _("Mentors")),
        ]
        # One choice per module, in the reader's language when it has that translation.
        options: dict = {}
        for module in modules.order_by("title", "pk"):
            if module.family not in options or module.language == language:
                options[module.family] = module
        self.fields["module"].queryset = modules
        self.fields["module"].choices = [("", "---------")] + [
            (m.pk, self._label(m)) for m in sorted(options.values(), key=lambda m: m.title)
        ]
        self.fields["due_days"].widget.attrs.update({"min": -365, "max": 365})

    @staticmethod
    def _label(module: Module) -> str:
        where = _("this program") if module.program_id else _("library")
        return f"{module.title} ({module.get_audience_display()} · {where})"


class RequirementDueForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["due_days"]


class ProgressFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Everyone")), (Role.MENTEE, _("Mentees")), (Role.MENTOR, _("Mentors"))],
    )
    behind = forms.BooleanField(label=_("Only people behind schedule"), required=False)
