"""HR's form for one question of a program's application form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeTokenMixin

from ..models import Question, Role
from .services import CHOICE_KINDS, choices_problems, criteria_for_role


class QuestionForm(OneTimeTokenMixin, forms.ModelForm):
    """The instance must carry its program and role; choices are edited one per line."""

    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One choice per line, between 2 and 20. Only for single and multiple choice."),
    )

    class Meta:
        model = Question
        fields = [
            "text",
            "help_text",
            "kind",
            "choices",
            "required",
            "shown_to_pair",
            "criterion",
            "weight",
        ]
        widgets = {"text": forms.TextInput(), "help_text": forms.TextInput()}
        help_texts = {
            "help_text": _("Optional hint shown under the question."),
            "required": _("Applicants must answer it to send their application."),
            "shown_to_pair": _(
                "The answer is part of what the mentee asks for: their mentor (and the mentors "
                "they ask), their manager and the pair see it. Otherwise only HR does."
            ),
            "criterion": _(
                "Answers used for matching are compared between mentors and mentees; "
                "each criterion can be used by one question per form."
            ),
            "weight": _(
                "Only for answers that feed matching: how much they count when pairs are "
                "scored. “Must have” only pairs people who match on it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criteria_for_role(self.instance.role)
        self.fields["criterion"].required = False
        if self.instance.role != Role.MENTEE:
            del self.fields["shown_to_pair"]
        if not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())

    def clean_help_text(self) -> str:
        return " ".join(self.cleaned_data["help_text"].split())

    def clean_choices(self) -> list[str]:
        kind = self.cleaned_data.get("kind")
        if kind not in CHOICE_KINDS:
            return []
        lines = (" ".join(line.split()) for line in self.cleaned_data["choices"].splitlines())
        choices = [line for line in lines if line]
        problems = choices_problems(kind, choices)
        if problems:
            raise forms.ValidationError(problems)
        return choices
