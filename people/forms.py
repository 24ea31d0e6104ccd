from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Language, Skill, User, normalize_email

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email",
            "first_name",
            "last_name",
            "job_title",
            "department",
            "manager",
            "location",
            "hired_on",
            "languages",
            "skills",
            "language",
            "is_active",
        ]
        widgets = {
            "hired_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "languages": forms.CheckboxSelectMultiple,
            "skills": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managers = User.objects.filter(is_active=True).only("first_name", "last_name", "email")
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = lambda u: f"{u} <{u.email}>"
        self.fields["department"].required = True
        self.fields["languages"].queryset = Language.objects.all()
        self.fields["skills"].queryset = Skill.objects.all()

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Someone in the directory already uses this email."))
        return email

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].required = False
        self.fields["parent"].empty_label = _("(top level)")
        if self.instance.pk:
            self.fields["parent"].queryset = Department.objects.exclude(pk=self.instance.pk)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Department.objects.filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another department is already called “%s”.") % name)
        return name


class SkillForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=120)


class SkillMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Skill.objects.all(),
        help_text=_("Everyone with the skill being merged will have this one instead."),
    )

    def __init__(self, *args, source: Skill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Skill.objects.exclude(pk=source.pk)


class EmployeeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Employee file (CSV)"),
        help_text=_(
            "UTF-8 or Windows-1252, comma or semicolon separated, English or Spanish headers."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it and upload each part.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class PersonEraseForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type the person's email to confirm"), max_length=254, strip=True
    )
