"""The starter library: its files are valid, complete in both languages, and install once."""

from __future__ import annotations

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from training.library import LibraryFileError, library_modules, library_parse
from training.models import Module
from training.modules.selectors import library_missing
from training.modules.services import library_install, module_remove

REQUIRED_TOPICS = {
    "mentor-role": "role_expectations",
    "mentee-role": "role_expectations",
    "taking-part": "participation",
    "first-meeting": "conversation_tools",
    "grow-model": "conversation_tools",
    "question-banks": "conversation_tools",
    "active-listening": "communication",
    "feedback": "communication",
    "disagreement": "communication",
}


def test_every_starter_module_exists_in_spanish_and_english_with_the_same_settings():
    by_key = defaultdict(dict)
    for module in library_modules():
        by_key[module.key][module.language] = module
    assert set(by_key) >= set(REQUIRED_TOPICS)
    for key, versions in by_key.items():
        assert set(versions) == {"es", "en"}, key
        es, en = versions["es"], versions["en"]
        assert (es.audience, es.topic, es.minutes, es.pass_mark) == (
            en.audience,
            en.topic,
            en.minutes,
            en.pass_mark,
        ), key
        assert len(es.sections) == len(en.sections) >= 3, key
        assert [len(q.choices) for q in es.questions] == [len(q.choices) for q in en.questions]
        assert [q.answer for q in es.questions] == [q.answer for q in en.questions], key
        assert es.title != en.title, key
        for title, body in es.sections + en.sections:
            assert title and len(body) > 80, (key, title)
        if key in REQUIRED_TOPICS:
            assert es.topic == REQUIRED_TOPICS[key]


def test_the_role_expectations_cover_each_role_and_the_participation_module_the_basics():
    modules = {(m.key, m.language): m for m in library_modules()}
    assert modules[("mentor-role", "en")].audience == "mentor"
    assert modules[("mentee-role", "en")].audience == "mentee"
    taking_part = " ".join(title for title, _ in modules[("taking-part", "en")].sections)
    for topic in ("Commitment", "Confidentiality", "Meeting regularly", "Ground rules", "deadline"):
        assert topic in taking_part
    assert len(modules[("taking-part", "es")].questions) >= 3


def test_a_library_file_with_a_question_without_a_right_answer_is_refused():
    text = "---\nkey: x\naudience: both\ntopic: other\nminutes: 5\ntitle: X\n---\n## A\nText\n"
    assert library_parse(text).sections == [("A", "Text")]
    with pytest.raises(LibraryFileError):
        library_parse(text + "# Knowledge check\n? Why?\n- one\n- two\n")
    with pytest.raises(LibraryFileError):
        library_parse("## no header\n")
    with pytest.raises(LibraryFileError):
        library_parse("---\nkey: x\n---\n## A\nText\n")


def test_installing_the_library_twice_adds_each_module_once(db):
    assert library_missing()
    first = library_install()
    assert first["created"] == len(library_modules())
    assert library_install() == {"created": 0, "kept": first["created"]}
    assert not library_missing()
    grow = Module.objects.filter(library_key="grow-model")
    assert {m.language for m in grow} == {"es", "en"}
    assert len({m.family for m in grow}) == 1
    assert all(m.status == "published" and m.program_id is None for m in grow)
    es = grow.get(language="es")
    assert es.sections.count() >= 4 and es.questions.count() == 4


def test_a_starter_module_hr_removed_is_not_brought_back(db, hr_admin):
    library_install()
    module = Module.objects.get(library_key="disagreement", language="en")
    module.title = "Our own wording"
    module.save()
    assert module_remove(module=module, by=hr_admin) is False  # kept out of sight
    call_command("training_library_install", stdout=StringIO())
    (kept,) = Module.objects.filter(library_key="disagreement", language="en")
    assert kept.status == Module.Status.ARCHIVED and kept.title == "Our own wording"
    edited = Module.objects.get(library_key="grow-model", language="en")
    edited.title = "GROW, our way"
    edited.save()
    library_install()
    assert Module.objects.get(pk=edited.pk).title == "GROW, our way"
