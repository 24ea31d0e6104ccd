"""The mentor writes goals with the mentee's wish in view: what they want to learn, the mentor
they look for and the message that started the pair."""

from __future__ import annotations

from tests.matching.pairs.wish_data import assert_shows_wish, give_wish


def test_the_goal_form_shows_the_mentor_what_the_mentee_asked_for(client, english, program):
    pair = english(program)
    give_wish(program, pair.mentee)
    client.force_login(pair.mentor)
    new = client.get(f"/goals/pairs/{pair.code}/goals/new/").content.decode()
    assert "What Ben Mentee is looking for" in new
    assert_shows_wish(new)


def test_outsiders_do_not_reach_the_goal_form_or_the_wish(client, english, program, outsider):
    pair = english(program)
    give_wish(program, pair.mentee)
    client.force_login(outsider)
    assert client.get(f"/goals/pairs/{pair.code}/goals/new/").status_code == 404
