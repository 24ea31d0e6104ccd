from __future__ import annotations

from django.core.management import call_command

from mentoring.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
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
