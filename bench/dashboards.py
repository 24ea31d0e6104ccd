"""Benchmark of the results dashboard on a large program.

    python -m bench.dashboards            # a temporary SQLite database, deleted afterwards
    DATABASE_URL=postgres://... python -m bench.dashboards [--pairs 2000 --meetings 10000]

Seeds one program with PAIRS pairs (and their agreements, goals, steps, training, surveys and
MEETINGS meetings) with bulk_create, plus a small program, then prints how long the dashboard
takes and how many queries it runs for each: the counts must be equal. On DATABASE_URL the
data is written inside a transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path


class Rollback(Exception):
    pass


def _setup(temporary: Path | None) -> None:
    os.environ.setdefault("DEBUG", "1")
    if temporary is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in ("testserver")
    call_command("migrate", verbosity=0)


def seed(*, pairs: int, meetings: int, label: str, rng: random.Random):
    """One running program of `pairs` pairs that started over the last four months."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from goals.models import ActionStep, Agreement, Goal, Meeting
    from matching.models import Mentorship
    from metrics.models import (
        IndicatorSnapshot,
        Survey,
        SurveyAnswer,
        SurveyQuestion,
        SurveyRequest,
    )
    from people.models import HR_GROUP, User
    from programs.indicators import INDICATORS
    from programs.models import Application, Objective, Program
    from training.models import Completion, Module, Requirement

    now = timezone.now()
    today = timezone.localdate()
    hr = User.objects.create_user(f"hr-{label}@bench.example", first_name="HR", last_name=label)
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    program = Program.objects.create(
        name=f"Bench {label}",
        slug=f"bench-{label}",
        summary="Benchmark",
        focus="career",
        matching_mode="mentee_choice",
        status="running",
        recruitment_opens=today - timedelta(days=200),
        recruitment_closes=today - timedelta(days=180),
        matching_deadline=today - timedelta(days=170),
        starts_on=today - timedelta(days=160),
        ends_on=today + timedelta(days=200),
        created_by=hr,
    )
    for number, (code, target) in enumerate(
        [("pairs_formed", pairs), ("meetings_per_pair_month", 2), ("median_days_to_match", 14)]
    ):
        Objective.objects.create(
            program=program,
            title=f"Objective {number}",
            indicator=code,
            target=target,
            target_date=program.ends_on,
            order=number,
        )
    people = User.objects.bulk_create(
        User(
            email=f"{label}-{n}@bench.example",
            first_name="Person",
            last_name=f"{label} {n}",
            password="!",
        )
        for n in range(pairs + max(1, pairs // 2))
    )
    mentees, mentors = people[:pairs], people[pairs:]
    Application.objects.bulk_create(
        [
            Application(program=program, person=person, role=role, status="approved",
                        reviewed_at=now - timedelta(days=170))
            for group, role in ((mentees, "mentee"), (mentors, "mentor"))
            for person in group
        ]
    )  # fmt: skip
    starts = [today - timedelta(days=rng.randint(10, 150)) for _ in range(pairs)]
    made = Mentorship.objects.bulk_create(
        Mentorship(
            program=program,
            mentor=mentors[n % len(mentors)],
            mentee=mentee,
            status="active" if n % 10 else "completed",
            origin="mentee_request",
            starts_on=starts[n],
            deadline=starts[n] + timedelta(days=180),
            activated_at=timezone.make_aware(datetime.combine(starts[n], datetime.min.time())),
            ended_at=now - timedelta(days=1) if n % 10 == 0 else None,
        )
        for n, mentee in enumerate(mentees)
    )
    Agreement.objects.bulk_create(
        Agreement(
            mentorship=pair,
            ground_rules="Rules",
            confidentiality="Ours",
            deadline=pair.deadline,
            mentor_signed_at=pair.activated_at + timedelta(days=5) if n % 4 else None,
            mentee_signed_at=pair.activated_at + timedelta(days=6) if n % 4 else None,
            first_signed_at=pair.activated_at + timedelta(days=6) if n % 4 else None,
        )
        for n, pair in enumerate(made)
    )
    goals = Goal.objects.bulk_create(
        Goal(
            mentorship=pair,
            title="Goal",
            measure="Measure",
            target_date=pair.deadline,
            status=rng.choice(["in_progress", "achieved", "not_started"]),
            agreed_at=pair.activated_at + timedelta(days=rng.randint(3, 20)),
            created_by=pair.mentor,
        )
        for pair in made
        for _ in range(2)
    )
    ActionStep.objects.bulk_create(
        ActionStep(
            goal=goal,
            title="Step",
            owner="mentee",
            due_on=today + timedelta(days=rng.randint(-20, 40)),
            status=rng.choice(["todo", "done", "in_progress"]),
        )
        for goal in goals
        for _ in range(2)
    )
    Meeting.objects.bulk_create(
        Meeting(
            mentorship=(pair := made[n % len(made)]),
            starts_at=pair.activated_at + timedelta(days=rng.randint(0, 120), hours=10),
            duration_minutes=60,
            status="held" if n % 5 else "scheduled",
            scheduled_by=pair.mentor,
        )
        for n in range(meetings)
    )
    modules = Module.objects.bulk_create(
        Module(language="es", title=f"Module {n} {label}", status="published") for n in range(3)
    )
    for module, role in zip(modules, ("mentee", "mentee", "mentor"), strict=True):
        Requirement.objects.create(program=program, role=role, module=module)
    Completion.objects.bulk_create(
        Completion(person=person, module=module, family=module.family, completed_at=now)
        for person in mentees[::2]
        for module in modules[:2]
    )
    survey = Survey.objects.create(
        program=program, kind="pulse", title="Pulse", status="active", created_by=hr
    )
    question = SurveyQuestion.objects.create(
        survey=survey, kind="scale", text="Satisfied?", measures="satisfaction"
    )
    requests = SurveyRequest.objects.bulk_create(
        SurveyRequest(
            survey=survey,
            person=pair.mentee,
            mentorship=pair,
            role="mentee",
            occurrence=f"pair:{pair.pk}",
            status="answered" if n % 3 else "open",
            closes_at=now + timedelta(days=7),
        )
        for n, pair in enumerate(made)
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(request=r, question=question, value=rng.randint(1, 5))
        for r in requests
        if r.status == "answered"
    )
    IndicatorSnapshot.objects.bulk_create(
        IndicatorSnapshot(program=program, indicator=code, day=today - timedelta(days=d), value=d)
        for code in INDICATORS
        for d in range(1, 91)
    )
    return program, hr


def measure(program, hr) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from metrics.dashboards.selectors import program_dashboard

    reset_queries()  # the log keeps 9,000 queries: the seeding filled it
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        data = program_dashboard(program)
        compute = time.perf_counter() - started
    client = Client()
    client.force_login(hr)
    url = reverse("metrics:program_dashboard", args=[program.slug])
    client.get(url)  # warm up templates and translations
    with CaptureQueriesContext(connection) as page_queries:
        started = time.perf_counter()
        response = client.get(url)
        page = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return {
        "compute_s": compute,
        "compute_queries": len(queries),
        "page_s": page,
        "page_queries": len(page_queries),
        "pairs_at_risk": len(data["risks"]),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=10000)
    args = parser.parse_args(argv)
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = Path(tempfile.mkdtemp()) / "bench-dashboards.sqlite3"
    try:
        _setup(temporary)
        from django.db import connection, transaction

        rng = random.Random(7)
        results = {}
        try:
            with transaction.atomic():
                started = time.perf_counter()
                large = seed(pairs=args.pairs, meetings=args.meetings, label="large", rng=rng)
                small = seed(pairs=5, meetings=20, label="small", rng=rng)
                seeded = time.perf_counter() - started
                for name, (program, hr) in (("small", small), ("large", large)):
                    results[name] = measure(program, hr)
                raise Rollback
        except Rollback:
            pass
        print(f"database: {connection.vendor}; seeded in {seeded:.1f} s")
        print(f"large program: {args.pairs} pairs, {args.meetings} meetings")
        for name, r in results.items():
            print(
                f"{name:>6}: dashboard data {r['compute_s'] * 1000:7.1f} ms, "
                f"{r['compute_queries']} queries; page {r['page_s'] * 1000:7.1f} ms, "
                f"{r['page_queries']} queries; {r['pairs_at_risk']} pairs at risk"
            )
        same = results["small"]["page_queries"] == results["large"]["page_queries"]
        print("same number of queries for both sizes:", "yes" if same else "NO")
        return 0 if same else 1
    finally:
        if temporary is not None:
            for path in temporary.parent.glob("*"):
                path.unlink()
            temporary.parent.rmdir()


if __name__ == "__main__":
    sys.exit(main())
