"""Survey text in the reader's language.

The model's own fields (`title`, `intro`, `text`, `choices`) hold the text in the language
it was written in and are the fallback; `translations` holds it per language code. Answers
to choice questions store the base choice, so results add up whatever language was read.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from ..models import Survey, SurveyQuestion, SurveySchedule


def languages() -> list[str]:
    """The interface languages, the default one first."""
    codes = [code for code, _name in settings.LANGUAGES]
    default = settings.LANGUAGE_CODE
    return [default, *[c for c in codes if c != default]] if default in codes else codes


def current_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _part(obj, language: str | None) -> dict:
    return (obj.translations or {}).get(language or current_language()) or {}


def survey_title(survey: Survey, language: str | None = None) -> str:
    return _part(survey, language).get("title") or survey.title


def survey_intro(survey: Survey, language: str | None = None) -> str:
    return _part(survey, language).get("intro") or survey.intro


def question_text(question: SurveyQuestion, language: str | None = None) -> str:
    return _part(question, language).get("text") or question.text


def question_choices(question: SurveyQuestion, language: str | None = None) -> list[tuple]:
    """(stored value, label in the reader's language) for each choice."""
    labels = _part(question, language).get("choices") or []
    if len(labels) != len(question.choices):
        labels = question.choices
    return list(zip(question.choices, labels, strict=True))


def choice_label(question: SurveyQuestion, value: str, language: str | None = None) -> str:
    return dict(question_choices(question, language)).get(value, value)


def schedule_when(schedule: SurveySchedule) -> str:
    """When a schedule sends its survey, in words."""
    days = abs(schedule.offset_days)
    if schedule.anchor == SurveySchedule.Anchor.FIXED:
        return gettext("On %(date)s") % {"date": date_format(schedule.send_on, "DATE_FORMAT")}
    if schedule.anchor == SurveySchedule.Anchor.PAIR_START:
        if schedule.offset_days < 0:
            return ngettext(
                "%(days)d day before each pair starts",
                "%(days)d days before each pair starts",
                days,
            ) % {"days": days}
        if days == 0:
            return gettext("When each pair starts")
        return ngettext(
            "%(days)d day after each pair starts", "%(days)d days after each pair starts", days
        ) % {"days": days}
    if schedule.offset_days < 0:
        return ngettext(
            "%(days)d day before each pair's deadline",
            "%(days)d days before each pair's deadline",
            days,
        ) % {"days": days}
    if days == 0:
        return gettext("On each pair's deadline")
    return ngettext(
        "%(days)d day after each pair's deadline", "%(days)d days after each pair's deadline", days
    ) % {"days": days}


def schedule_audience(schedule: SurveySchedule) -> str:
    parts = [
        label
        for wanted, label in (
            (schedule.to_mentors, gettext("mentors")),
            (schedule.to_mentees, gettext("mentees")),
            (schedule.to_managers, gettext("the mentees' managers")),
        )
        if wanted
    ]
    return ", ".join(parts)
