from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people.models import Department, department_depth

from ..models import Objective, Program
from .services import validate_program_dates

DATE_FIELDS = [
    "recruitment_opens",
    "recruitment_closes",
    "matching_deadline",
    "starts_on",
    "ends_on",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "summary",
            "description",
            "focus",
            "matching_mode",
            "areas",
            "area_level",
            "min_tenure_months",
            "recruitment_opens",
            "recruitment_closes",
            "matching_deadline",
            "starts_on",
            "ends_on",
            "partnership_weeks",
            "mentor_capacity",
            "target_pairs",
            "meeting_every_days",
            "manager_approval_required",
            "max_requests",
            "request_reply_days",
            "hr_approves_pairs",
            "training_required_to_match",
            "min_score",
            "request_order",
            "show_rank_to_mentor",
            "personal_data_months",
        ]
        widgets = {
            "recruitment_opens": DATE,
            "recruitment_closes": DATE,
            "matching_deadline": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 6}),
            "areas": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "areas": _(
                "Pairs are made inside an area: each chosen department with everything under "
                "it. Leave empty for the whole company."
            ),
            "area_level": _(
                "Only for whole-company programs (no areas chosen): 1 is the top of the "
                "organisation chart, 2 the departments under it, and so on. Empty: the first "
                "level that has more than one department."
            ),
            "max_requests": _(
                "Mentee choice only: requests are ranked, and how they reach mentors is set below."
            ),
            "request_order": _(
                "Mentee-choice programs: in order, the first choice has the reply days and a "
                "decline or expiry passes the request to the next one."
            ),
            "min_score": _(
                "0–100. The engine does not propose pairs below it; HR can still make them by "
                "hand after a warning."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Department.objects.all()
        self.fields["matching_mode"].required = False
        self.fields["matching_mode"].help_text = _(
            "Leave empty to follow the focus: knowledge transfer is paired by HR within the "
            "area, the other focuses let mentees choose."
        )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_area_level(self) -> int | None:
        level = self.cleaned_data.get("area_level")
        if level is None:
            return None
        depth = department_depth()
        if level > depth:
            raise forms.ValidationError(
                ngettext(
                    "The organisation chart has only %(n)d level.",
                    "The organisation chart has only %(n)d levels.",
                    depth,
                )
                % {"n": depth}
            )
        return level

    def clean(self):
        cleaned = super().clean()
        dates = Program(**{name: cleaned.get(name) for name in DATE_FIELDS})
        try:
            validate_program_dates(dates)
        except forms.ValidationError as exc:
            # Field errors here also keep the database constraint from adding a vaguer one.
            for field, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(field, error)
        if cleaned.get("area_level") and cleaned.get("areas"):
            self.add_error(
                "area_level",
                _(
                    "The level only applies when the program is for the whole company: leave "
                    "it empty, or choose no areas."
                ),
            )
        if not cleaned.get("matching_mode") and cleaned.get("focus"):
            cleaned["matching_mode"] = Program.default_matching_mode(cleaned["focus"])
            self.instance.matching_mode = cleaned["matching_mode"]
        return cleaned


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "indicator", "target", "target_date"]
        widgets = {"target_date": DATE}
        help_texts = {
            "title": _("For example: transfer the maintenance procedures of line 3 to 8 juniors."),
            "target": _("Percentages as 0–100; scores on their own scale."),
        }

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target is not None and target < 0:
            raise forms.ValidationError(_("The target cannot be negative."))
        return target


class StatusWarningsConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the warnings above"), required=True)


class CloseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand what happens to the active pairs"), required=True
    )
