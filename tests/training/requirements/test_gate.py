"""The matching gate: required training must be done before requesting or accepting mentors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format

from matching.catalogue import services as matching
from matching.hooks import matching_gates
from matching.models import MatchRequest, Mentorship
from tests.factories import ProgramFactory, UserFactory
from training.modules.services import module_complete
from training.requirements import services
from training.requirements.selectors import required_training_problems

from ..conftest import enrol, make_module


@pytest.fixture
def setup(hr_admin, program):
    mentor = enrol(program, UserFactory(language="en"), "mentor").person
    mentee = enrol(program, UserFactory(language="en"), "mentee").person
    mentee_module = make_module(title="Expectativas del rol de aprendiz", audience="mentee")
    make_module(
        title="Role expectations for mentees",
        language="en",
        audience="mentee",
        family=mentee_module.family,
    )
    mentor_module = make_module(title="Expectativas del rol de mentor", audience="mentor")
    services.requirement_add(
        program=program, role="mentee", module=mentee_module, due_days=-7, by=hr_admin
    )
    services.requirement_add(
        program=program, role="mentor", module=mentor_module, due_days=-7, by=hr_admin
    )
    return program, mentor, mentee, mentee_module, mentor_module


def test_the_training_app_registers_its_gate_with_matching():
    assert required_training_problems in matching_gates


def test_the_gate_names_each_missing_module_with_its_due_date_in_the_reader_s_language(setup):
    program, _mentor, mentee, *_ = setup
    due = program.starts_on - timedelta(days=7)
    with translation.override("en"):
        problems = matching.request_problems(program, mentee)
    with translation.override("en"):
        date = date_format(due, "DATE_FORMAT")
    assert problems == [f"Finish “Role expectations for mentees” first (due {date})."]
    with translation.override("es"):
        (problem,) = matching.matching_gate_problems(program, mentee, "mentee")
    assert "“Expectativas del rol de aprendiz”" in problem


def test_a_mentee_cannot_request_until_their_required_training_is_done(setup):
    program, mentor, mentee, mentee_module, _ = setup
    with pytest.raises(ValidationError):
        matching.requests_send(program=program, mentee=mentee, mentors=[mentor], message="Hola")
    assert not MatchRequest.objects.exists()
    module_complete(module=mentee_module, person=mentee)
    assert matching.request_problems(program, mentee) == []
    (request,) = matching.requests_send(
        program=program, mentee=mentee, mentors=[mentor], message="Hola"
    )
    assert request.status == MatchRequest.Status.PENDING


def test_a_mentor_cannot_accept_until_their_required_training_is_done(setup):
    program, mentor, mentee, mentee_module, mentor_module = setup
    module_complete(module=mentee_module, person=mentee)
    (request,) = matching.requests_send(
        program=program, mentee=mentee, mentors=[mentor], message="Hola"
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        matching.request_accept(request=request, by=mentor)
    assert "Expectativas del rol de mentor" in " ".join(refused.value.messages)
    assert not Mentorship.objects.exists()
    module_complete(module=mentor_module, person=mentor)
    mentorship = matching.request_accept(request=request, by=mentor)
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_programs_that_do_not_gate_on_training_let_people_match_anyway(hr_admin):
    program = ProgramFactory(status="matching", training_required_to_match=False)
    mentor = enrol(program, UserFactory(), "mentor").person
    mentee = enrol(program, UserFactory(), "mentee").person
    module = make_module()
    services.requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    assert required_training_problems(program, mentee, "mentee")  # still to do...
    assert matching.request_problems(program, mentee) == []  # ...but not a gate here
    matching.requests_send(program=program, mentee=mentee, mentors=[mentor], message="")


def test_a_program_without_requirements_never_blocks(program):
    assert required_training_problems(program, UserFactory(), "mentee") == []
