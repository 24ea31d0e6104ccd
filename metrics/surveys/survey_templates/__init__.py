"""The surveys that ship with the platform, in Spanish and English, as data files.

Each `<kind>.json` holds the title, introduction and questions in every language, and
the schedule HR usually wants for it. `metrics.surveys.services.survey_from_template` turns one
into a draft survey of a program, which HR then adapts in the builder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class SurveyTemplate:
    kind: str
    order: int
    title: dict[str, str]
    intro: dict[str, str]
    schedule: dict
    questions: tuple[dict, ...]

    def title_in(self, language: str) -> str:
        return self.title.get(language) or next(iter(self.title.values()))

    def intro_in(self, language: str) -> str:
        return self.intro.get(language) or next(iter(self.intro.values()))


@cache
def survey_templates() -> tuple[SurveyTemplate, ...]:
    found = []
    for path in sorted(HERE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append(
            SurveyTemplate(
                kind=data["kind"],
                order=data.get("order", 99),
                title=data["title"],
                intro=data.get("intro", {}),
                schedule=data.get("schedule", {}),
                questions=tuple(data["questions"]),
            )
        )
    return tuple(sorted(found, key=lambda t: t.order))


def survey_template(kind: str) -> SurveyTemplate | None:
    return next((t for t in survey_templates() if t.kind == kind), None)
