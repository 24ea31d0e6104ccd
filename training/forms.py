from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program, Role
from programs.sessions.forms import InfoSessionForm

from .models import Module, Question, Requirement, Section, Workshop


def _squash(value: str) -> str:
    return " ".join(value.split())


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "title",
            "summary",
            "language",
            "audience",
            "topic",
            "estimated_minutes",
            "pass_mark",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].help_text = _(
            "The language the module is written in. Add translations from the module page."
        )
        self.fields["topic"].help_text = _(
            "Role expectations are finished by confirming them; other modules by reading "
            "them or by passing their knowledge check."
        )
        if self.instance.pk is not None:
            # Changing the language is adding a translation, which keeps both versions.
            del self.fields["language"]

    def clean_title(self) -> str:
        return _squash(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return _squash(self.cleaned_data["summary"])


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def clean_title(self) -> str:
        return _squash(self.cleaned_data["title"])


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One choice per line, at least two."),
    )
    right_choice = forms.IntegerField(
        label=_("Number of the right choice"),
        min_value=1,
        help_text=_("1 is the first line above."),
    )

    class Meta:
        model = Question
        fields = ["text"]

    field_order = ["text", "choices_text", "right_choice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["choices_text"] = "\n".join(self.instance.choices)
            self.initial["right_choice"] = self.instance.answer + 1

    def clean_text(self) -> str:
        return _squash(self.cleaned_data["text"])

    def save(self, commit: bool = True) -> Question:
        question = super().save(commit=False)
        question.choices = self.cleaned_data["choices_text"].splitlines()
        question.answer = self.cleaned_data["right_choice"] - 1
        if commit:
            question.save()
        return question


class CheckForm(forms.Form):
    """The knowledge check as radio buttons; carries what makes double and stale submits safe."""

    nonce = forms.UUIDField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, questions: list[Question], fingerprint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not self.is_bound:
            self.initial.update({"nonce": uuid.uuid4(), "fingerprint": fingerprint})
        for number, question in enumerate(questions, start=1):
            self.fields[f"q-{question.code}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(str(i), choice) for i, choice in enumerate(question.choices)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("q-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q-")
        }


class SignOffForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read what is expected of me in this role and I commit to it."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


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


class CopyToProgramForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.exclude(status=Program.Status.CLOSED).order_by("name"),
        help_text=_("The copy starts as a draft: adapt it, publish it, then require it."),
    )


class TranslateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ProgressFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Everyone")), (Role.MENTEE, _("Mentees")), (Role.MENTOR, _("Mentors"))],
    )
    behind = forms.BooleanField(label=_("Only people behind schedule"), required=False)


class WorkshopForm(InfoSessionForm):
    """The information session form, with what a workshop adds: its audience and module."""

    class Meta(InfoSessionForm.Meta):
        model = Workshop
        fields = [*InfoSessionForm.Meta.fields, "audience", "module"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = (
            Module.objects.current()
            .filter(Q(program__isnull=True) | Q(program=program))
            .order_by("title")
        )
        self.fields["description"].help_text = _("What people will practise and how to prepare.")
