"""A failed form starts with a summary of its problems, each linked to its field (WCAG 3.3.1)."""

from __future__ import annotations

import re

from django.utils import translation


def test_a_failed_form_lists_each_problem_linked_to_its_field(hr_client):
    response = hr_client.post("/programs/manage/new/", {"name": "", "focus": "nonsense"})

    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r"<div[^>]*data-error-summary[^>]*>(.*?)</div>", html, re.S)
    assert summary, "the failed form has no error summary"
    assert 'tabindex="-1"' in summary.group(0)
    body = summary.group(1)
    assert '<a href="#id_name">' in body
    assert '<a href="#id_focus">' in body
    # The page says how many fields need attention, in the reader's language.
    count = len(re.findall(r"<li>", body))
    assert count >= 2
    assert "problemas" in body or "problema" in body


def test_a_list_of_radios_is_linked_by_its_first_option():
    from crispy_forms.utils import render_crispy_form
    from django import forms

    class Choice(forms.Form):
        cadence = forms.ChoiceField(choices=[("7", "7"), ("14", "14")], widget=forms.RadioSelect)

    html = render_crispy_form(Choice({}))
    assert '<a href="#id_cadence_0">' in html
    assert 'id="id_cadence_0"' in html


def test_a_form_without_problems_has_no_summary(hr_client):
    html = hr_client.get("/programs/manage/new/").content.decode()
    assert "data-error-summary" not in html


def test_the_summary_reads_in_english_for_an_english_reader(hr_client, hr_admin):
    hr_admin.language = "en"
    hr_admin.save(update_fields=["language"])
    with translation.override("en"):
        html = hr_client.post("/programs/manage/new/", {"name": ""}).content.decode()
    assert re.search(r"Please correct these \d+ problems:", html)
