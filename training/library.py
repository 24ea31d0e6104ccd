"""The starter library that ships with the product, in Spanish and English.

Each module is one Markdown file per language, `training/starter_library/<key>.<language>.md`:

    ---
    key: mentor-role
    audience: mentor
    topic: role_expectations
    minutes: 15
    pass_mark: 80
    title: ...
    summary: ...
    ---
    ## First section title
    Markdown (use ### for headings inside a section)
    ## Second section title
    ...
    # Knowledge check
    ? Question
    - a wrong choice
    + the right choice

`training.modules.services.library_install()` copies them into the database, where HR can
adapt them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .models import Audience, Module

LIBRARY_DIR = Path(__file__).resolve().parent / "starter_library"
CHECK_HEADING = "# Knowledge check"


@dataclass
class LibraryQuestion:
    text: str
    choices: list[str] = field(default_factory=list)
    answer: int = -1


@dataclass
class LibraryModule:
    key: str
    language: str
    audience: str
    topic: str
    minutes: int
    pass_mark: int
    title: str
    summary: str
    sections: list[tuple[str, str]]
    questions: list[LibraryQuestion]


class LibraryFileError(ValueError):
    pass


def library_parse(text: str, *, name: str = "") -> LibraryModule:
    """One library file; raises LibraryFileError saying what is wrong and where."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise LibraryFileError(f"{name}: must start with a '---' header")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise LibraryFileError(f"{name}: the header is not closed with '---'") from None
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if line.strip():
            key, _, value = line.partition(":")
            value = value.strip()
            if len(value) > 1 and value[0] == value[-1] == '"':
                value = value[1:-1]
            meta[key.strip()] = value

    sections: list[tuple[str, list[str]]] = []
    questions: list[LibraryQuestion] = []
    in_check = False
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if line.strip() == CHECK_HEADING:
            in_check = True
        elif in_check:
            stripped = line.strip()
            if stripped.startswith("? "):
                questions.append(LibraryQuestion(text=stripped[2:].strip()))
            elif stripped[:2] in ("- ", "+ ") and questions:
                if stripped[0] == "+":
                    questions[-1].answer = len(questions[-1].choices)
                questions[-1].choices.append(stripped[2:].strip())
            elif stripped:
                raise LibraryFileError(f"{name}:{number}: unexpected line in the check")
        elif line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip():
            raise LibraryFileError(f"{name}:{number}: text before the first section")

    missing = {"key", "audience", "topic", "minutes", "title"} - meta.keys()
    if missing:
        raise LibraryFileError(f"{name}: missing {', '.join(sorted(missing))}")
    if not sections:
        raise LibraryFileError(f"{name}: no sections")
    for question in questions:
        if len(question.choices) < 2 or question.answer < 0:
            raise LibraryFileError(f"{name}: “{question.text}” needs choices and one '+'")
    return LibraryModule(
        key=meta["key"],
        language=meta.get("language", ""),
        audience=meta["audience"],
        topic=meta["topic"],
        minutes=int(meta["minutes"]),
        pass_mark=int(meta.get("pass_mark", 80)),
        title=meta["title"],
        summary=meta.get("summary", ""),
        sections=[(title, "\n".join(body).strip()) for title, body in sections],
        questions=questions,
    )


def library_modules() -> list[LibraryModule]:
    """Every file of the starter library, checked; the language comes from the file name.

    The files ship with the code, so they are read and checked once per process (the library
    page asks on every request).
    """
    return list(_library_read())


@functools.cache
def _library_read() -> tuple[LibraryModule, ...]:
    languages = {code for code, _ in settings.LANGUAGES}
    modules = []
    for path in sorted(LIBRARY_DIR.glob("*.md")):
        stem, _, language = path.stem.rpartition(".")
        if language not in languages:
            raise LibraryFileError(f"{path.name}: name it <key>.<language>.md")
        module = library_parse(path.read_text(encoding="utf-8"), name=path.name)
        if module.key != stem:
            raise LibraryFileError(f"{path.name}: key {module.key!r} does not match the name")
        if module.audience not in Audience.values or module.topic not in Module.Topic.values:
            raise LibraryFileError(f"{path.name}: unknown audience or topic")
        module.language = language
        modules.append(module)
    return tuple(modules)
