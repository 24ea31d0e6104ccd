"""The anonymity promise (metrics/anonymity.py), attacked by every route HR has.

HR watches every page, export and report before and after each new answer and tries to
isolate it: with fewer than five people nothing derived from answers shows, and one new
answer changes nothing until it completes a group of five different people.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from metrics import anonymity
from metrics.anonymity import Answer, released, released_breakdown
from metrics.dashboards.services import snapshots_record
from metrics.models import IndicatorSnapshot
from metrics.surveys import selectors
from programs.models import Objective
from tests.factories import DepartmentFactory, UserFactory
from tests.metrics.conftest import a_pulse, known
from tests.metrics.surveys.conftest import a_survey, asked, respond

pytestmark = pytest.mark.urls("tests.metrics.dashboards.urls")

SURVEY_CODES = (
    "average_satisfaction",
    "recommendation_score",
    "skill_growth",
    "development_impact",
)

# --- the rule itself ------------------------------------------------------------------------

T0 = datetime(2026, 1, 1, 9)


def _answer(number: int, person: int, value=3) -> Answer:
    return Answer(T0 + timedelta(minutes=number), number, person, value)


def test_answers_are_released_only_in_batches_of_five_different_people():
    answers = [_answer(n, person=n) for n in range(4)]
    assert released(answers) == []
    answers.append(_answer(4, person=4))
    assert len(released(answers)) == 5
    # One person answering again (another pair, another date) does not complete a batch.
    answers += [_answer(5, person=0), _answer(6, person=0), _answer(7, person=5)]
    assert len(released(answers)) == 5
    answers += [_answer(8, person=6), _answer(9, person=7), _answer(10, person=8)]
    assert len(released(answers)) == 11  # 0, 0, 5, 6, 7, 8: five different people
    assert anonymity.released_texts([_answer(n, n, f"t{4 - n}") for n in range(5)]) == [
        "t0",
        "t1",
        "t2",
        "t3",
        "t4",
    ]


def _scenario(rng: random.Random, size: int) -> list[Answer]:
    people = rng.randint(5, 12)
    return [
        Answer(T0 + timedelta(minutes=n), n, rng.randint(1, people), rng.randint(1, 3))
        for n in range(size)
    ]


def _shown(answers: list[Answer]):
    """Everything a breakdown by `value` (the group) and the totals would show."""
    groups, hidden = released_breakdown({"q": answers}, lambda a: a.value)
    total = released(answers)
    return (
        frozenset(a.request for a in total),
        {key: frozenset(a.request for a in found["q"]) for key, found in groups.items()},
    )


def test_one_new_answer_never_changes_a_figure_by_fewer_than_five_people():
    """Random histories: each new answer either changes nothing, or changes a figure by the
    answers of five or more different people; and no shown group or hidden rest is small."""
    rng = random.Random(13)
    for _history in range(300):
        answers = _scenario(rng, rng.randint(5, 30))
        before = _shown(answers[:0])
        for size in range(1, len(answers) + 1):
            now = answers[:size]
            after = _shown(now)
            people = {a.request: a.person for a in now}
            changed = after[0] - before[0]
            assert not changed or len({people[r] for r in changed}) >= anonymity.MIN_GROUP
            for key, requests in after[1].items():
                new = requests - before[1].get(key, frozenset())
                assert not new or len({people[r] for r in new}) >= anonymity.MIN_GROUP
                assert len({people[r] for r in requests}) >= anonymity.MIN_GROUP
            inside = set().union(*after[1].values()) if after[1] else set()
            rest = {people[r] for r in after[0] - inside}
            assert not rest or len(rest) >= anonymity.MIN_GROUP
            before = after


def test_a_rest_of_one_person_hides_one_more_group():
    # Person 1 answered twice in group 1 and again in group 2: without hiding one more group,
    # the answers outside the shown groups would be person 1's alone (total minus groups).
    rows = [(0, 3, 2), (1, 7, 1), (2, 1, 1), (3, 5, 1), (4, 8, 2), (5, 9, 2), (6, 9, 2)]
    rows += [(7, 9, 2), (8, 1, 2), (9, 6, 1), (10, 5, 2), (11, 1, 2), (12, 1, 1), (13, 6, 1)]
    rows += [(14, 3, 1)]
    answers = [Answer(T0 + timedelta(minutes=n), n, person, group) for n, person, group in rows]
    groups, hidden = released_breakdown({"q": answers}, lambda a: a.value)
    assert list(groups) == [2] and hidden == 5  # group 1 hidden too: the rest is 5 people


# --- every route HR has -------------------------------------------------------------------


def _sheets(content: bytes) -> dict[str, bytes]:
    """The worksheets and strings of an XLSX (its metadata holds the time it was made)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return {
            name: book.read(name)
            for name in book.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        }


def _html(text: str) -> str:
    """A page without what is new on every request: CSRF tokens, CSP nonces, chart ids."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r' nonce="[^"]*"', "", text)
    return re.sub(r"chart-[0-9a-f]{8}-[0-9a-f-]{27}", "chart", text)


def _results_html(text: str) -> str:
    """The results page without its participation counts (sent, answered, waiting)."""
    text = _html(text)
    return re.sub(
        r'<dl class="row small mb-4" data-testid="results-counts">.*?</dl>', "", text, flags=re.S
    )


def everything(client, program, survey) -> dict:
    """What HR can read about the answers, by every route."""
    seen = {}
    for by in selectors.BREAKDOWNS:
        page = client.get(reverse("metrics:survey_results", args=[survey.code]), {"by": by})
        assert page.status_code == 200
        seen[f"results?by={by}"] = _results_html(page.content.decode())
    results = selectors.survey_results(survey)
    seen["results"] = [
        {k: v for k, v in item.items() if k != "question"} for item in results["questions"]
    ]
    seen["included"] = results["included"]
    page = client.get(reverse("metrics:program_dashboard", args=[program.slug]))
    seen["dashboard values"] = {code: page.context["values"][code] for code in SURVEY_CODES}
    seen["distributions"] = page.context["distributions"]
    seen["objectives"] = [
        (row.code, row.value, row.status)
        for row in page.context["objectives"]
        if row.code in SURVEY_CODES
    ]
    seen["dashboard"] = _html(page.content.decode()).split('data-testid="satisfaction"')[1]
    overview = client.get(reverse("metrics:overview"))
    seen["overview"] = [
        row["values"] for row in overview.context["rows"] if row["program"].pk == program.pk
    ]
    export = reverse("metrics:program_export", args=[program.slug])
    seen["csv"] = client.get(export, {"format": "csv"}).content.decode()
    seen["xlsx"] = _sheets(client.get(export, {"format": "xlsx"}).content)
    out = io.StringIO()
    call_command("program_report", program.slug, stdout=out)
    seen["program_report"] = json.loads(out.getvalue())
    out = io.StringIO()
    call_command("program_report", program.slug, "--format", "csv", stdout=out)
    seen["program_report csv"] = out.getvalue()
    return seen


@pytest.fixture
def watched(program):
    for code, target in (("average_satisfaction", 4), ("recommendation_score", 20)):
        Objective.objects.create(
            program=program,
            title=f"Objective {code}",
            indicator=code,
            target=target,
            target_date=program.ends_on,
        )
    return program


def test_one_answer_shows_nothing_derived_from_it_anywhere(hr_client, watched):
    survey = a_survey(watched, "final")
    person = UserFactory(first_name="Solitaria")
    respond(survey, person, satisfaction=1, recommend=0, impact=1, text="Only mine")
    seen = everything(hr_client, watched, survey)
    for by in selectors.BREAKDOWNS:
        html = seen[f"results?by={by}"]
        assert "Only mine" not in html and "Solitaria" not in html
        # HR reads Spanish: "1 persona ha respondido · media 1,0" and the 100 % were the leak.
        assert "persona ha respondido" not in html and "media" not in html and "100 %" not in html
        assert 'data-testid="held-back"' in html and 'class="progress' not in html
    assert all(item["respondents"] == 0 for item in seen["results"])
    assert seen["dashboard values"] == dict.fromkeys(SURVEY_CODES)
    assert seen["distributions"] == {"satisfaction": {}, "recommendation": {}}
    assert [value for _code, value, _status in seen["objectives"]] == [None, None]
    assert seen["overview"][0][-2:] == ["–", "–"], seen["overview"]
    for code in SURVEY_CODES:
        assert re.search(rf",{code},outcome,,", seen["csv"]), code
    assert all(
        item["value"] is None
        for o in seen["program_report"][0]["objectives"]
        for item in o["indicators"]
        if item["code"] in SURVEY_CODES
    )
    snapshots_record(programs=type(watched).objects.filter(pk=watched.pk))
    assert set(
        IndicatorSnapshot.objects.filter(program=watched, indicator__in=SURVEY_CODES).values_list(
            "value", flat=True
        )
    ) == {None}


def test_comparing_before_and_after_each_new_answer_reveals_nothing(hr_client, watched):
    """HR looks at every route after each answer: the view changes only when a fifth
    different person completes a group, and then by five people's answers at once."""
    survey = a_survey(watched, "final")
    department = DepartmentFactory(name="Ventas")
    people = [UserFactory(department=department) for _ in range(11)]
    extremes = [(1, 0), (5, 10)]
    views = []
    for number, person in enumerate(people):
        satisfaction, recommend = extremes[number % 2]
        respond(survey, person, satisfaction=satisfaction, recommend=recommend, text=f"T{number}")
        views.append(everything(hr_client, watched, survey))
    changed_at = [n for n in range(1, len(views)) if views[n] != views[n - 1]]
    assert changed_at == [4, 9]  # the 5th and the 10th answers, never the others
    first = views[0]
    assert first == views[3]
    assert views[4]["dashboard values"]["average_satisfaction"] == 2.6  # (1+5+1+5+1) / 5
    assert views[9]["dashboard values"]["average_satisfaction"] == 3.0
    assert "T10" not in views[10]["results?by=department"]
    assert "T9" in views[10]["results?by=department"]


def test_the_results_page_says_how_many_answers_wait_without_showing_them(hr_client, program):
    survey = a_survey(program, "final")
    for person in [UserFactory() for _ in range(7)]:
        respond(survey, person)
    asked(survey, UserFactory(), occurrence="open")
    page = hr_client.get(reverse("metrics:survey_results", args=[survey.code]))
    assert page.context["results"]["answered"] == 7
    assert page.context["results"]["included"] == 5
    assert page.context["results"]["waiting"] == 2
    assert "2 respuestas esperan a que se complete un grupo de 5 personas" in page.content.decode()


def test_pairs_at_risk_never_read_one_pairs_answers(db, frozen, hr_client):
    program, pairs = known()
    url = reverse("metrics:program_dashboard", args=[program.slug])
    export = reverse("metrics:program_export", args=[program.slug])

    def risks():
        page = hr_client.get(url)
        found = [
            (item["pair"].pk, [r["code"] for r in item["reasons"]])
            for item in page.context["risks"]
        ]
        table = hr_client.get(export, {"format": "csv"}).content.decode().split("\n\r\n")[-1]
        return found, table

    before = risks()
    # Both members of the new pair C say it is going very badly; A's mentee says it is great.
    a_pulse(pairs["c"], pairs["c"].mentee, 1, day=-1)
    a_pulse(pairs["c"], pairs["c"].mentor, 1, day=-1)
    a_pulse(pairs["a"], pairs["a"].mentee, 5, day=-1)
    after = risks()
    assert after == before
    assert [pair for pair, _codes in after[0]] == [pairs["a"].pk]
    assert after[0][0][1] == ["no_meeting", "overdue_steps"]
    assert "pulse" not in after[1].lower()


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("en", "the results change only each time 5 more people have answered"),
        ("es", "los resultados solo cambian cada vez que responden 5 personas más"),
    ],
)
def test_respondents_are_told_the_rule_in_their_language(client, pair, mentee, language, phrase):
    survey = a_survey(pair.program, "pulse", offset_days=0)
    request = asked(survey, mentee, pair)
    mentee.language = language
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    page = client.get(reverse("metrics:answer", args=[request.token])).content.decode()
    assert 'data-testid="anonymity-promise"' in page and phrase in page


def test_hr_previews_the_same_promise(hr_client, program):
    survey = a_survey(program, "final", active=False)
    url = reverse("metrics:survey_preview", args=[survey.code])
    page = hr_client.get(url, {"language": "es"}).content.decode()
    assert "Cómo se mantienen confidenciales tus respuestas" in page
