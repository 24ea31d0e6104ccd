from __future__ import annotations

from django.core.management import call_command

from people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from people.models import Department, User


def test_the_demo_organisation_is_realistic_and_safe_to_load_twice(db, client):
    call_command("seed_demo", verbosity=0)
    first = sorted(User.objects.values_list("email", "manager__email", "department__name"))
    call_command("seed_demo", verbosity=0)
    assert sorted(User.objects.values_list("email", "manager__email", "department__name")) == first

    assert 140 <= User.objects.count() <= 170
    assert Department.objects.count() >= 6
    assert Department.objects.filter(parent__isnull=False).exists()
    assert User.objects.filter(skills__isnull=False).distinct().count() == User.objects.count()
    assert User.objects.filter(languages__code="en").exists()
    assert User.objects.values("location").distinct().count() >= 4

    manager = User.objects.get(email=DEMO_ACCOUNTS["manager"])
    mentee = User.objects.get(email=DEMO_ACCOUNTS["mentee"])
    assert mentee.manager == manager
    assert User.objects.get(email=DEMO_ACCOUNTS["hr"]).is_hr
    assert not User.objects.get(email=DEMO_ACCOUNTS["mentor"]).is_hr

    for email in DEMO_ACCOUNTS.values():
        assert client.login(username=email, password=DEMO_PASSWORD), email


def test_the_demo_shows_both_kinds_of_program_with_recruitment_in_varied_states(db):
    from programs.models import Appeal, Application, InfoSession, Program, Recommendation, Referral

    call_command("seed_demo", verbosity=0)
    knowledge = Program.objects.get(focus="knowledge_transfer")
    career = Program.objects.get(focus="career")
    assert knowledge.matching_mode == "managed"
    assert career.matching_mode == "mentee_choice"
    recruiting = Program.objects.get(slug="vision-de-negocio")
    assert recruiting.status == "recruiting"
    assert knowledge.status == career.status == "matching"
    for program in (knowledge, career, recruiting):
        assert program.objectives.count() >= 2
        assert program.questions.filter(role="mentor").exists()
        assert InfoSession.objects.filter(program=program).count() == 3
        statuses = set(Application.objects.filter(program=program).values_list("status", flat=True))
        assert {"approved", "submitted", "waitlisted", "declined"} <= statuses
    assert {"sent", "opened", "applied", "declined"} <= set(
        Appeal.objects.values_list("status", flat=True)
    )
    assert Recommendation.objects.exists() and Referral.objects.exists()
    assert Application.objects.filter(person__email=DEMO_ACCOUNTS["mentee"], role="mentee").exists()
    assert Application.objects.filter(person__email=DEMO_ACCOUNTS["mentor"], role="mentor").exists()
    # Stage objects of the knowledge-transfer program stay inside its area.
    outside = Application.objects.filter(program=knowledge).exclude(
        person__department__name="Mantenimiento"
    )
    assert not outside.exists()
