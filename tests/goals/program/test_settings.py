"""Stage 5: HR's tab of a program, where the agreement template and goal timing are set."""

from __future__ import annotations

from goals.agreements.services import program_settings_for


def test_hr_edits_the_programs_planning_settings(client, pair, mentor, hr_admin):
    slug = pair.program.slug
    url = f"/goals/programs/{slug}/settings/"
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentor)
    assert client.get(url).status_code == 403
    hr_client = client
    hr_client.force_login(hr_admin)
    assert hr_client.get(url).status_code == 200
    response = hr_client.post(
        url,
        {"goals_due_days": 10, "ground_rules": "- Rule one", "confidentiality": "Private."},
    )
    assert response.url == url
    settings = program_settings_for(pair.program)
    assert (settings.goals_due_days, settings.ground_rules) == (10, "- Rule one")
    response = hr_client.post(
        url, {"goals_due_days": 0, "ground_rules": "", "confidentiality": "x"}
    )
    assert set(response.context["form"].errors) == {"goals_due_days", "ground_rules"}
