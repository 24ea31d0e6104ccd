"""Before applying, each question says who will see the answer; HR decides which of a mentee's
answers make up the wish shown to their mentor, manager and pair."""

from __future__ import annotations

import pytest

from programs.models import Question
from programs.questionnaire.services import question_save
from tests.factories import ProgramFactory

C = Question.Criterion
SHARED_CHOICE = "Seen by HR, and also shown to the mentors you ask and to your manager."
SHARED_MANAGED = "Seen by HR, and also shown to your mentor and to your manager."
HR_ONLY = "Seen by HR only."


def _help_texts(response) -> dict[str, str]:
    form = response.context["form"]
    return {str(form.fields[name].label): str(form.fields[name].help_text) for name in form.fields}


@pytest.fixture
def english_mentee(client, mentee):
    mentee.language = "en"
    mentee.save()
    client.force_login(mentee)
    return client


def test_a_mentee_reads_under_each_question_who_will_see_the_answer(english_mentee):
    program = ProgramFactory(matching_mode="mentee_choice")
    response = english_mentee.get(f"/programs/{program.slug}/apply/mentee/")
    notes = _help_texts(response)
    assert SHARED_CHOICE in notes["What do you want to learn to grow in your career?"]
    assert SHARED_CHOICE in notes["Which qualities do you look for in a mentor?"]
    assert SHARED_CHOICE in notes["How much experience should your mentor have?"]
    assert notes["When and how can you meet?"] == HR_ONLY
    assert HR_ONLY in notes["Why do you want to take part?"]
    page = response.content.decode()
    assert SHARED_CHOICE in page and HR_ONLY in page
    assert "Under each question you can read who will see your answer" in page


def test_in_a_managed_program_the_note_names_the_mentor_and_the_manager(english_mentee):
    program = ProgramFactory(
        matching_mode="managed", focus="knowledge_transfer", manager_approval_required=True
    )
    notes = _help_texts(english_mentee.get(f"/programs/{program.slug}/apply/mentee/"))
    learn = "Which procedures or job knowledge do you need to learn?"
    assert SHARED_MANAGED in notes[learn]
    assert "Seen by HR and by your manager" in notes["Why do you want to take part?"]


def test_mentors_read_that_mentees_see_their_answers_in_the_catalogue(client, mentor):
    mentor.language = "en"
    mentor.save()
    client.force_login(mentor)
    program = ProgramFactory(matching_mode="mentee_choice")
    notes = _help_texts(client.get(f"/programs/{program.slug}/apply/mentor/"))
    assert notes["How many years of experience do you have in your field?"] == (
        "Seen by HR, and also shown to mentees in the mentor catalogue."
    )
    managed = ProgramFactory(matching_mode="managed", focus="knowledge_transfer")
    notes = _help_texts(client.get(f"/programs/{managed.slug}/apply/mentor/"))
    assert notes["How many years of experience do you have in your field?"] == HR_ONLY


def test_the_default_questions_share_what_the_mentee_wants_and_keep_the_rest_for_hr(db):
    program = ProgramFactory()
    shown = set(
        program.questions.filter(role="mentee", shown_to_pair=True).values_list(
            "criterion", flat=True
        )
    )
    assert shown == {C.SKILLS_WANTED, C.EXPERIENCE, C.COMMUNICATION_STYLE, C.NONE}
    assert program.questions.filter(role="mentee", kind="text", shown_to_pair=True).count() == 2
    assert not program.questions.filter(role="mentor", shown_to_pair=True).exists()


def test_hr_chooses_which_mentee_answers_are_shown_to_the_pair(hr_client):
    program = ProgramFactory()
    availability = program.questions.get(role="mentee", criterion=C.AVAILABILITY)
    url = f"/programs/manage/{program.slug}/questions/{availability.code}/"
    form = hr_client.get(url).context["form"]
    assert "shown_to_pair" in form.fields
    data = {
        "text": availability.text,
        "help_text": "",
        "kind": availability.kind,
        "choices": "\n".join(availability.choices),
        "required": "on",
        "shown_to_pair": "on",
        "criterion": C.AVAILABILITY,
        "weight": availability.weight,
    }
    assert hr_client.post(url, data).status_code == 302
    availability.refresh_from_db()
    assert availability.shown_to_pair
    listing = hr_client.get(f"/programs/manage/{program.slug}/questions/").content.decode()
    assert 'data-testid="shown-to-pair"' in listing


def test_a_mentors_answer_is_never_part_of_the_wish(hr_client, hr_admin):
    program = ProgramFactory()
    question = program.questions.get(role="mentor", criterion=C.EXPERIENCE)
    form = hr_client.get(f"/programs/manage/{program.slug}/questions/{question.code}/")
    assert "shown_to_pair" not in form.context["form"].fields
    question.shown_to_pair = True
    question_save(question=question, by=hr_admin)
    question.refresh_from_db()
    assert not question.shown_to_pair
