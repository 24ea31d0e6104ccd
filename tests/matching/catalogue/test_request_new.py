"""Stage 3, mentee choice: asking mentors from the catalogue, in order of preference."""

from __future__ import annotations

from django.core import mail
from django.utils import translation

from matching.catalogue import services
from matching.models import MatchRequest, Mentorship
from matching.pairs.services import mentorship_create

from .catalogue_data import _enrol, _mentor, _program, _url

# --- asking mentors ----------------------------------------------------------------------------


def test_a_mentee_asks_two_mentors_in_their_order_of_preference(
    program, mentee_client, me, django_capture_on_commit_callbacks
):
    first, second = _mentor(program), _mentor(program)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    page = mentee_client.get(url)
    assert page.status_code == 200
    assert [e.person for e in page.context["chosen"]] == [first.person, second.person]
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(
            url,
            {
                f"rank_{first.code}": "2",
                f"rank_{second.code}": "1",
                "message": "  Me gustaría aprender de ti.  ",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"/matching/programs/{program.slug}/my-requests/"
    sent = list(MatchRequest.objects.filter(mentee=me).order_by("rank"))
    assert [(r.mentor, r.rank) for r in sent] == [(second.person, 1), (first.person, 2)]
    assert {r.message for r in sent} == {"Me gustaría aprender de ti."}
    # One at a time (the default): only the first choice hears of it; the other waits.
    assert [r.status for r in sent] == ["pending", "queued"]
    assert [m.to[0] for m in mail.outbox] == [second.person.email]
    followed = mentee_client.get(response["Location"]).content.decode()
    assert f"Your request was sent to {second.person}, your first choice." in followed
    assert "With the mentor now" in followed
    assert "Waiting for earlier choices" in followed


def test_asked_mentors_are_marked_and_cannot_be_chosen_again(program, mentee_client, me):
    asked, other = _mentor(program), _mentor(program)
    services.requests_send(program=program, mentee=me, mentors=[asked.person], message="")
    response = mentee_client.get(_url(program))
    html = response.content.decode()
    assert f'name="m" value="{asked.code}"' not in html
    assert f'name="m" value="{other.code}"' in html
    assert "Open requests: 1 of 3." in html
    page = mentee_client.get(_url(program, "request/") + f"?m={asked.code}&m={other.code}")
    assert [e.person for e in page.context["chosen"]] == [other.person]


def test_unknown_and_unavailable_mentors_are_left_out_with_a_message(program, mentee_client):
    kept = _mentor(program)
    paused = _mentor(program, paused=True)
    elsewhere = _mentor(_program())
    url = (
        _url(program, "request/")
        + f"?m={kept.code}&m={paused.code}&m={elsewhere.code}&m=not-a-code&m={kept.code}"
    )
    response = mentee_client.get(url)
    assert [e.person for e in response.context["chosen"]] == [kept.person]
    assert "3 of the chosen mentors are not available to you and were left out." in (
        response.content.decode()
    )


def test_choosing_nobody_leads_back_to_the_catalogue(program, mentee_client):
    response = mentee_client.get(_url(program, "request/"))
    assert 'data-testid="none-chosen"' in response.content.decode()
    assert mentee_client.post(_url(program, "request/"), {"message": "Hola"}).status_code == 200
    assert not MatchRequest.objects.exists()


def test_two_mentors_with_the_same_preference_are_refused(program, mentee_client):
    first, second = _mentor(program), _mentor(program)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    response = mentee_client.post(url, {f"rank_{first.code}": "1", f"rank_{second.code}": "1"})
    assert response.status_code == 200
    assert "Give each mentor a different preference." in response.content.decode()
    assert not MatchRequest.objects.exists()


def test_asking_more_mentors_than_the_program_allows_shows_the_error_and_saves_nothing(
    db, client, mentee
):
    program = _program(max_requests=1)
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    first, second = _mentor(program), _mentor(program)
    client.force_login(mentee)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    response = client.post(
        url, {f"rank_{first.code}": "1", f"rank_{second.code}": "2", "message": "Hola"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    with translation.override("en"):
        assert list(errors) == ["You can have at most 1 open requests at a time in this program."]
    assert 'data-testid="request-errors"' in response.content.decode()
    assert not MatchRequest.objects.exists()
    assert mail.outbox == []


def test_a_full_quota_of_open_requests_hides_the_request_controls(db, client, mentee):
    program = _program(max_requests=1)
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    asked = _mentor(program)
    _mentor(program)
    services.requests_send(program=program, mentee=mentee, mentors=[asked.person], message="")
    client.force_login(mentee)
    html = client.get(_url(program)).content.decode()
    assert 'data-testid="no-room"' in html
    assert 'name="m"' not in html


def test_the_training_gate_is_shown_and_requests_are_not_offered(
    program, mentee_client, me, training_gate
):
    program.training_required_to_match = True
    program.save()
    mentor = _mentor(program)
    html = mentee_client.get(_url(program)).content.decode()
    assert 'data-testid="request-problems"' in html
    assert f"{me.email} has not finished the mentee training." in html
    assert 'name="m"' not in html
    url = _url(program, "request/") + f"?m={mentor.code}"
    page = mentee_client.get(url)
    assert f"{me.email} has not finished the mentee training." in page.content.decode()
    assert "<textarea" not in page.content.decode()
    mentee_client.post(url, {f"rank_{mentor.code}": "1", "message": "Hola"})
    assert not MatchRequest.objects.exists()


def test_a_mentee_who_has_a_mentor_is_told_so_in_the_catalogue(program, mentee_client, me):
    mine = _mentor(program)
    _mentor(program)
    mentorship_create(
        program=program,
        mentor=mine.person,
        mentee=me,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.ACTIVE,
    )
    html = mentee_client.get(_url(program)).content.decode()
    assert "You already have a mentor in this program." in html
    assert 'name="m"' not in html
