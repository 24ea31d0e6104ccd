"""Forms of stage 2 applications: the questionnaire, HR's review and the manager's decision."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Skill

from ..models import Application, Program, Question, Role
from ..questionnaire.selectors import question_text
from .selectors import role_questions
from .services import MOTIVATION_MAX_LENGTH, SCALE, TEXT_MAX_LENGTH

SKILLS_HELP = _("Hold Ctrl (Cmd on a Mac) to choose several.")


def _join_help(*parts) -> str:
    return " ".join(str(part) for part in parts if part)


def question_field(question: Question) -> forms.Field:
    """The form field that asks one question, in the active language.

    Choice values are the question's base choices (what answers store and matching
    compares); only their labels are translated.
    """
    text, help_text, labels = question_text(question)
    common = {"label": text, "required": question.required}
    choices = list(zip(question.choices, labels, strict=True))
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            help_text=help_text,
            **common,
        )
    if kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
            **common,
        )
    if kind == Question.Kind.SKILLS:
        return forms.ModelMultipleChoiceField(
            queryset=Skill.objects.order_by("name"),
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_join_help(help_text, SKILLS_HELP),
            **common,
        )
    if kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=[(number, str(number)) for number in SCALE],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            help_text=help_text or _("1 is the lowest, 5 the highest."),
            **common,
        )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        **common,
    )


class BaseApplicationForm(forms.Form):
    """Built per program and role by `application_form_class`."""

    program: Program
    role: str
    questions: list[Question] = []

    def __init__(self, *args, application: Application | None = None, **kwargs):
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = {**application.answers, "motivation": application.motivation}
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[
                InlineRadios(name) if question.kind == Question.Kind.SCALE else Field(name)
                for question, name in self.question_fields()
            ],
            Field("motivation"),
        )

    def question_fields(self) -> list[tuple[Question, str]]:
        return [(question, str(question.code)) for question in self.questions]

    @property
    def answers(self) -> dict:
        """The cleaned answers in their stored form (see programs/applications/services.py)."""
        answers: dict = {}
        for question, name in self.question_fields():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if question.kind == Question.Kind.SKILLS:
                value = [skill.pk for skill in value]
                if not value:
                    continue
            answers[name] = value
        return answers


def seen_by(program: Program, role: str, question: Question | None) -> str:
    """Who will read the answer to `question` (None: the motivation), said before applying."""
    if question is None:
        if role == Role.MENTEE and program.manager_approval_required:
            return _("Seen by HR and by your manager, who approves your taking part.")
        return _("Seen by HR only.")
    if role == Role.MENTEE and question.shown_to_pair:
        if program.matching_mode == Program.MatchingMode.MENTEE_CHOICE:
            return _("Seen by HR, and also shown to the mentors you ask and to your manager.")
        return _("Seen by HR, and also shown to your mentor and to your manager.")
    if role == Role.MENTOR and program.matching_mode == Program.MatchingMode.MENTEE_CHOICE:
        # The catalogue shows mentees every answer of a mentor's application.
        return _("Seen by HR, and also shown to mentees in the mentor catalogue.")
    return _("Seen by HR only.")


def application_form_class(program: Program, role: str) -> type[BaseApplicationForm]:
    """A form with one field per question of `program` for `role`, plus the motivation.

    Each field says under it who will see the answer (`seen_by`).
    """
    questions = role_questions(program, role)
    attrs: dict = {}
    for question in questions:
        field = question_field(question)
        field.help_text = _join_help(field.help_text, seen_by(program, role, question))
        attrs[str(question.code)] = field
    attrs["motivation"] = forms.CharField(
        label=_("Why do you want to take part?"),
        required=False,
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_join_help(
            _("A few lines for the HR team: what you hope to give and to get."),
            seen_by(program, role, None),
        ),
    )
    attrs.update({"program": program, "role": role, "questions": questions})
    return type("ApplicationForm", (BaseApplicationForm,), attrs)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Application.Status.APPROVED, _("Approve")),
            (Application.Status.WAITLISTED, _("Put on the waiting list")),
            (Application.Status.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the decision. Required when you decline."),
    )

    def __init__(self, *args, application: Application | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:
            field = self.fields["decision"]
            field.choices = [
                (value, label) for value, label in field.choices if value != application.status
            ]

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Application.Status.DECLINED and not cleaned.get("reason"):
            self.add_error("reason", _("Tell the applicant why you decline."))
        return cleaned


class ManagerDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (APPROVE, _("Approve their participation")),
            (DECLINE, _("Decline their participation")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to your team member. Required when you decline."),
    )

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("comment"):
            self.add_error("comment", _("Tell your team member why you decline."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
