"""Knowledge checks and completions: scoring, retries, double submits, stale questions, sign-off."""

from __future__ import annotations

import threading
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from tests.factories import UserFactory
from training.models import Attempt, Completion, Question
from training.modules import selectors, services

from ..conftest import make_module


def _submit(module, person, *, right: int, nonce=None, fingerprint=None):
    questions = selectors.check_questions(module)
    answers = {
        str(q.code): (q.answer if i < right else q.answer + 1) for i, q in enumerate(questions)
    }
    return services.check_submit(
        module=module,
        person=person,
        answers=answers,
        fingerprint=fingerprint or selectors.check_fingerprint(questions),
        nonce=nonce or uuid.uuid4(),
    )


def test_a_failed_check_can_be_retried_and_every_result_is_kept_with_its_date(mentee):
    module = make_module(questions=4, pass_mark=75)
    with time_machine.travel("2031-03-03 10:00 +01:00", tick=False):
        first = _submit(module, mentee, right=2)
    assert (first.score, first.passed, first.correct_count) == (50, False, 2)
    assert not Completion.objects.exists()
    with time_machine.travel("2031-03-04 10:00 +01:00", tick=False):
        second = _submit(module, mentee, right=3)
    assert (second.score, second.passed) == (75, True)
    completion = Completion.objects.get(person=mentee)
    assert completion.score == 75 and completion.family == module.family
    assert timezone.localdate(completion.completed_at).isoformat() == "2031-03-04"
    assert Attempt.objects.filter(person=mentee).count() == 2
    assert len(second.wrong) == 1


def test_submitting_the_same_check_form_twice_records_one_attempt(mentee):
    module = make_module(questions=2)
    nonce = uuid.uuid4()
    first = _submit(module, mentee, right=2, nonce=nonce)
    again = _submit(module, mentee, right=0, nonce=nonce)
    assert again.pk == first.pk and again.passed
    assert Attempt.objects.count() == 1 and Completion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_check_submitted_twice_at_the_same_moment_is_recorded_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    person = UserFactory()
    module = make_module(questions=3)
    nonce = uuid.uuid4()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(_submit(module, person, right=3, nonce=nonce).pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert Attempt.objects.count() == 1 and Completion.objects.count() == 1


def test_answering_a_check_that_changed_meanwhile_asks_to_answer_again(mentee):
    module = make_module(questions=2)
    shown = selectors.check_fingerprint(selectors.check_questions(module))
    question = module.questions.first()
    question.choices = ["Otra correcta", "Incorrecta", "Tampoco"]
    question.save()
    with translation.override("en"), pytest.raises(services.CheckChanged) as refused:
        _submit(module, mentee, right=2, fingerprint=shown)
    assert "changed while you were answering" in " ".join(refused.value.messages)
    Question.objects.create(module=module, text="Nueva", choices=["a", "b"], answer=0, order=9)
    with pytest.raises(services.CheckChanged):
        _submit(module, mentee, right=2, fingerprint=selectors.check_fingerprint([question]))
    assert not Attempt.objects.exists()


def test_every_question_must_be_answered_with_one_of_its_choices(mentee):
    module = make_module(questions=2)
    questions = selectors.check_questions(module)
    fingerprint = selectors.check_fingerprint(questions)
    for answers in ({str(questions[0].code): 0}, {str(q.code): 7 for q in questions}):
        with pytest.raises(ValidationError):
            services.check_submit(
                module=module,
                person=mentee,
                answers=answers,
                fingerprint=fingerprint,
                nonce=uuid.uuid4(),
            )


def test_a_module_without_a_check_is_done_by_marking_it(mentee):
    module = make_module()
    completion = services.module_complete(module=module, person=mentee)
    assert completion.score is None and completion.signed_off_at is None
    assert services.module_complete(module=module, person=mentee).pk == completion.pk


def test_a_module_with_a_check_cannot_be_marked_done_before_passing_it(mentee):
    module = make_module(questions=2)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.module_complete(module=module, person=mentee)
    assert "Pass the knowledge check" in " ".join(refused.value.messages)


def test_role_expectations_are_finished_by_signing_them_off_and_the_date_is_kept(mentee):
    module = make_module(topic="role_expectations", audience="mentee", questions=1)
    attempt = _submit(module, mentee, right=1)
    assert attempt.passed and not Completion.objects.exists()  # passing is not enough
    with pytest.raises(ValidationError):
        services.module_complete(module=module, person=mentee, confirmed=False)
    with time_machine.travel("2031-05-05 09:30 +02:00", tick=False):
        completion = services.module_complete(module=module, person=mentee, confirmed=True)
    assert timezone.localdate(completion.signed_off_at).isoformat() == "2031-05-05"
    assert completion.score == 100


def test_finishing_one_translation_finishes_the_module_in_every_language(mentee):
    spanish = make_module(questions=1)
    english = make_module(
        language="en", title="Active listening", family=spanish.family, questions=1
    )
    _submit(english, mentee, right=1)
    assert selectors.completion_of(spanish, mentee) is not None
    assert selectors.passed_check(spanish, mentee)
