"""Forms of the survey builder (HR) and of answering a survey (participants)."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.conf.locale import LANG_INFO
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.models import Skill

from ..models import Survey, SurveyQuestion, SurveySchedule
from .selectors import languages, question_choices, question_text
from .services import CHOICE_KINDS, SCALES, TEXT_MAX

K = SurveyQuestion.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return gettext(info["name"]) if info else code


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class ConfirmForm(forms.Form):
    """No fields: a confirmation step, whose service errors show above its button."""


class TranslatedForm(forms.Form):
    """One field per interface language for each of `texts`; the default language's
    field is required where the text is."""

    texts: tuple[tuple[str, object, object, bool], ...] = ()  # key, label, widget, required

    def __init__(self, *args, stored: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = languages()
        for key, label, widget, required in self.texts:
            for code in codes:
                self.fields[f"{key}_{code}"] = forms.CharField(
                    label=_("%(what)s (%(language)s)")
                    % {"what": label, "language": language_name(code)},
                    required=required and code == codes[0],
                    widget=widget(),
                )
                if not self.is_bound and stored:
                    value = (stored.get(code) or {}).get(key, "")
                    self.initial[f"{key}_{code}"] = "\n".join(value) if key == "choices" else value

    def texts_by_language(self) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for key, _label, _widget, _required in self.texts:
            for code in languages():
                value = self.cleaned_data.get(f"{key}_{code}", "")
                if key == "choices":
                    value = _lines(value)
                elif key == "intro":
                    value = value.strip()
                else:
                    value = " ".join(value.split())
                found.setdefault(code, {})[key] = value
        return found


def _survey_stored(survey: Survey) -> dict[str, dict]:
    stored = {code: dict(part) for code, part in (survey.translations or {}).items()}
    base = stored.setdefault(languages()[0], {})
    base.setdefault("title", survey.title)
    base.setdefault("intro", survey.intro)
    return stored


class SurveyForm(TranslatedForm):
    texts = (
        ("title", _("Title"), forms.TextInput, True),
        ("intro", _("Introduction"), lambda: forms.Textarea(attrs={"rows": 3}), False),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Survey.Kind.choices)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, stored=_survey_stored(survey) if survey.pk else None, **kwargs)
        self.fields["kind"].initial = survey.kind or Survey.Kind.CUSTOM
        self.order_fields(["kind"])


def _question_stored(question: SurveyQuestion) -> dict[str, dict]:
    stored = {code: dict(part) for code, part in (question.translations or {}).items()}
    base = stored.setdefault(languages()[0], {})
    base.setdefault("text", question.text)
    base.setdefault("choices", question.choices)
    return stored


class QuestionForm(TranslatedForm):
    """`apply()` writes the cleaned input onto the question; the service validates and saves."""

    texts = (
        ("text", _("Question"), forms.TextInput, True),
        ("choices", _("Choices"), lambda: forms.Textarea(attrs={"rows": 5}), False),
    )
    kind = forms.ChoiceField(label=_("Type of answer"), choices=K.choices)
    measures = forms.ChoiceField(
        label=_("What it measures"),
        choices=SurveyQuestion.Measures.choices,
        required=False,
        help_text=_(
            "Answers that measure satisfaction, impact, recommendation or skill growth feed "
            "the program's indicators."
        ),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def __init__(self, *args, question: SurveyQuestion, **kwargs):
        self.question = question
        super().__init__(
            *args, stored=_question_stored(question) if question.pk else None, **kwargs
        )
        if question.pk and not self.is_bound:
            self.initial.update(
                kind=question.kind, measures=question.measures, required=question.required
            )
        for code in languages():
            self.fields[f"choices_{code}"].help_text = _(
                "Single and multiple choice only: one choice per line, in the same order in "
                "every language."
            )
            self.fields[f"text_{code}"].max_length = 300
        self.order_fields(["kind", "measures", "required"])

    def apply(self) -> SurveyQuestion:
        question = self.question
        texts = self.texts_by_language()
        base = languages()[0]
        question.kind = self.cleaned_data["kind"]
        question.measures = self.cleaned_data["measures"]
        question.required = self.cleaned_data["required"]
        question.text = texts[base]["text"]
        question.choices = texts[base]["choices"] if question.kind in CHOICE_KINDS else []
        question.translations = {
            code: {k: v for k, v in part.items() if v}
            for code, part in texts.items()
            if part.get("text")
        }
        return question


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = SurveySchedule
        fields = [
            "anchor",
            "offset_days",
            "send_on",
            "to_mentors",
            "to_mentees",
            "to_managers",
            "remind_after_days",
            "open_days",
        ]
        widgets = {"anchor": forms.RadioSelect, "send_on": DATE}
        help_texts = {
            "offset_days": _(
                "After each pair starts, or around its deadline (negative: before it). "
                "Not used for a fixed date."
            ),
            "send_on": _("Only for a fixed date: everyone in a pair then gets it once."),
            "remind_after_days": _("One reminder to those who have not answered yet."),
            "open_days": _("The survey closes after these days; late answers are refused."),
        }


# --- answering -----------------------------------------------------------------------


def _field_name(question: SurveyQuestion) -> str:
    return f"q_{question.pk}"


def _scale_field(question: SurveyQuestion, label: str) -> forms.Field:
    low, high = SCALES[question.kind]
    help_text = (
        _("0 is not at all likely, 10 extremely likely.")
        if question.kind == K.RECOMMEND
        else _("1 is the lowest, 5 the highest.")
    )
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, str(n)) for n in range(low, high + 1)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=question.required,
        help_text=help_text,
    )


class AnswerForm(forms.Form):
    """Built from a survey's questions, worded in the reader's language."""

    def __init__(self, *args, questions: list[SurveyQuestion], skills: list[Skill], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.skill_rows = [(s.pk, s.name) for s in skills] or [
            (None, _("The skills you worked on"))
        ]
        rating = [("", "—"), *[(n, str(n)) for n in range(1, 6)]]
        layout = []
        for question in questions:
            name, label = _field_name(question), question_text(question)
            required = question.required
            if question.kind in SCALES:
                self.fields[name] = _scale_field(question, label)
                layout.append(InlineRadios(name))
            elif question.kind in CHOICE_KINDS:
                field = (
                    forms.ChoiceField if question.kind == K.SINGLE else forms.MultipleChoiceField
                )
                widget = (
                    forms.RadioSelect if question.kind == K.SINGLE else forms.CheckboxSelectMultiple
                )
                self.fields[name] = field(
                    label=label,
                    choices=question_choices(question),
                    widget=widget,
                    required=required,
                )
                layout.append(Field(name))
            elif question.kind == K.TEXT:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=required,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                layout.append(Field(name))
            else:
                rows = []
                for skill_id, skill_name in self.skill_rows:
                    pair = []
                    for moment, moment_label in (
                        ("before", _("%(skill)s: before the mentoring")),
                        ("after", _("%(skill)s: now")),
                    ):
                        key = f"{name}_{skill_id or 0}_{moment}"
                        self.fields[key] = forms.TypedChoiceField(
                            label=moment_label % {"skill": skill_name},
                            choices=rating,
                            coerce=int,
                            empty_value=None,
                            required=required,
                        )
                        pair.append(Div(Field(key), css_class="col-sm-6"))
                    rows.append(Div(*pair, css_class="row"))
                # The legend is rendered as HTML: escape the question, size it like a label.
                legend = format_html('<span class="fs-6">{}</span>', label)
                layout.append(Fieldset(legend, *rows))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def answers(self) -> dict[int, object]:
        """Question id → value, in the form the answering service expects."""
        data = self.cleaned_data
        found: dict[int, object] = {}
        for question in self.questions:
            name = _field_name(question)
            if question.kind != K.SKILL_GROWTH:
                found[question.pk] = data.get(name)
                continue
            items = [
                {
                    "skill": skill_id,
                    "before": data.get(f"{name}_{skill_id or 0}_before"),
                    "after": data.get(f"{name}_{skill_id or 0}_after"),
                }
                for skill_id, _label in self.skill_rows
            ]
            filled = [i for i in items if i["before"] is not None or i["after"] is not None]
            found[question.pk] = items if filled else None
        return found

    def add_service_error(self, field: str, messages: list[str]) -> None:
        question_id = int(field.removeprefix("q_")) if field.startswith("q_") else None
        question = next((q for q in self.questions if q.pk == question_id), None)
        if question is not None and question.kind == K.SKILL_GROWTH:
            target = f"{field}_{self.skill_rows[0][0] or 0}_before"
        else:
            target = field if field in self.fields else None
        for message in messages:
            self.add_error(target, message)
