"""Forms of stage 2 outreach: HR's invitations, managers' recommendations, referrals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Department, Skill, User, normalize_email
from people.selectors import direct_reports

from ..models import Outreach, Role

KIND_CHOICES = [
    ("appeal", _("Direct invitations")),
    ("recommendation", _("Manager recommendations")),
    ("referral", _("Colleague referrals")),
]


class AppealFilterForm(forms.Form):
    """Who qualifies: HR narrows the directory down before writing to people."""

    role = forms.ChoiceField(label=_("Invite as"), choices=Role.choices, widget=forms.RadioSelect)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Including the teams below them. None selected: any department."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People with at least one of them. None selected: any skills."),
    )
    job_title = forms.CharField(label=_("Job title contains"), required=False, max_length=150)
    min_tenure_months = forms.IntegerField(
        label=_("At least this many months in the company"),
        required=False,
        min_value=0,
        max_value=600,
    )

    def clean_job_title(self) -> str:
        return " ".join(self.cleaned_data["job_title"].split())


class AppealSendForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)
    people = forms.ModelMultipleChoiceField(
        label=_("People to invite"),
        queryset=User.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one person to invite.")},
    )
    message = forms.CharField(
        label=_("Your personal message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say why you thought of them. The email adds the program's summary and the links "
            "to apply or to decline."
        ),
    )


class OutreachFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *KIND_CHOICES], required=False
    )
    role = forms.ChoiceField(
        label=_("As"), choices=[("", _("Both roles")), *Role.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Outreach.Status.choices],
        required=False,
    )


class RecommendationForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person in your team"),
        queryset=User.objects.none(),
        to_field_name="code",
        empty_label=_("Choose…"),
    )
    role = forms.ChoiceField(label=_("As"), choices=Role.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why do you recommend them?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "They will read it in their invitation, and HR sees it with their application."
        ),
    )

    def __init__(self, *args, manager: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = direct_reports(manager)


class ReferralForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's work email"),
        max_length=254,
        help_text=_("Search by name above if you don't know it."),
    )
    reason = forms.CharField(
        label=_("Why would they be a good mentor?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("They will read it in their invitation, without your name."),
    )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        self.person = User.objects.filter(email=email, is_active=True).first()
        if self.person is None:
            raise forms.ValidationError(_("Nobody active in the company has this email."))
        return email
