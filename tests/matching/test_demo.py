"""The demo shows matching in both modes to each demo account."""

from __future__ import annotations

from django.core.management import call_command

from matching.models import MatchRequest, Mentorship
from matching.profiles import area_level_in_use, areas_by_department
from people.demo import DEMO_ACCOUNTS
from people.models import Department, User
from programs.models import Program


def test_each_demo_account_has_something_to_do_in_matching(db, client):
    call_command("seed_demo", verbosity=0)
    accounts = {key: User.objects.get(email=email) for key, email in DEMO_ACCOUNTS.items()}
    career = Program.objects.get(slug="impulsa-tu-carrera")
    knowledge = Program.objects.get(slug="relevo-linea-3")

    client.force_login(accounts["mentee"])
    catalogue = client.get(f"/matching/programs/{career.slug}/mentors/")
    assert catalogue.status_code == 200
    entries = list(catalogue.context["page"].object_list)
    assert entries and all(0 <= entry.score <= 100 for entry in entries)
    assert entries == sorted(entries, key=lambda entry: -entry.score)

    assert MatchRequest.objects.open().filter(mentor=accounts["mentor"]).exists()
    # Requests travel one at a time: a second choice waits queued, and HR's tab has content.
    assert MatchRequest.objects.filter(program=career, status="queued").exists()
    accounts["hr"].language = "en"
    accounts["hr"].save()
    client.force_login(accounts["hr"])
    tab = client.get(f"/matching/programs/{career.slug}/catalogue-hr/")
    assert tab.context["counts"]["waiting"] >= 2
    assert tab.context["counts"]["unmatched"] >= 1
    unmatched = client.get(f"/matching/programs/{career.slug}/catalogue-hr/?show=mentees")
    reasons = {r for m in unmatched.context["page"].object_list for r in m.reasons}
    assert {"Every mentor they asked declined.", "No request sent yet."} <= reasons
    client.force_login(accounts["manager"])
    approvals = client.get("/matching/approvals/")
    assert approvals.status_code == 200
    assert Mentorship.objects.filter(
        mentee__manager=accounts["manager"],
        status=Mentorship.Status.AWAITING_APPROVAL,
        manager_decision=Mentorship.Decision.PENDING,
    ).exists()

    for program in (career, knowledge):
        statuses = set(Mentorship.objects.filter(program=program).values_list("status", flat=True))
        assert Mentorship.Status.ACTIVE in statuses, program
    assert {"proposed", "awaiting_approval", "active"} <= set(
        Mentorship.objects.filter(program=knowledge).values_list("status", flat=True)
    )


def test_demo_pairs_stay_inside_real_areas(db):
    call_command("seed_demo", verbosity=0)
    knowledge = Program.objects.get(slug="relevo-linea-3")
    departments = set(
        Mentorship.objects.filter(program=knowledge).values_list(
            "mentor__department__name", "mentee__department__name"
        )
    )
    assert departments == {("Mantenimiento", "Mantenimiento")}
    # The organisation has a single root: whole-company programs split it into its branches.
    career = Program.objects.get(slug="impulsa-tu-carrera")
    assert area_level_in_use(career) == 2
    areas = set(areas_by_department(career).values())
    assert len(areas) > 2
    assert Department.objects.get(name="Mantenimiento").pk not in areas
