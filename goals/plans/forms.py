"""Forms of the action plan. They clean and normalise input; the services persist it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeTokenMixin
from people.models import Skill
from programs.models import Objective

from ..forms import DATE, version_field
from ..models import SHORT_TEXT_MAX, ActionStep, Goal


class GoalForm(OneTimeTokenMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["title", "measure", "target_date", "description", "objectives", "skills"]
        widgets = {
            "target_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.CheckboxSelectMultiple,
            "skills": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _("Specific: what will the mentee be able to do?")
        self.fields["measure"].help_text = _("Measurable: how will you both know it is reached?")
        self.fields["target_date"].help_text = _("Within the partnership, up to its deadline.")
        self.fields["description"].help_text = _("Why it matters, and anything else useful.")
        self.fields["objectives"].queryset = Objective.objects.filter(program=mentorship.program)
        self.fields["objectives"].help_text = _("Which of the program's objectives it serves.")
        self.fields["skills"].queryset = Skill.objects.order_by("name")
        self.fields["skills"].help_text = _("Skills it develops.")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_measure(self) -> str:
        return " ".join(self.cleaned_data["measure"].split())


class GoalReviewForm(forms.Form):
    AGREE = "agree"
    CHANGES = "changes"

    decision = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[(AGREE, _("I agree to this goal")), (CHANGES, _("I would like changes"))],
    )
    comment = forms.CharField(
        label=_("Comment for your mentor"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for changes."),
    )
    version = version_field()

    @property
    def agree(self) -> bool:
        return self.cleaned_data.get("decision") == self.AGREE


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    version = version_field()


class StepForm(OneTimeTokenMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ActionStep
        fields = ["title", "owner", "due_on", "status"]
        widgets = {"due_on": DATE, "owner": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["status"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStep.Status.choices)
    version = version_field()
