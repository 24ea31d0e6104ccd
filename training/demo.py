"""Demo data for stage 4: the starter library, required training, progress and workshops.

Called by `manage.py seed_demo` after the matching demo; safe to run again (rows are
found by natural keys, attempts by a nonce derived from the person and the module).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from people.models import User
from programs.models import Application, Program, Role

from .models import Attempt, Audience, Completion, Module, Requirement, Workshop
from .models import WorkshopRegistration as Registration
from .modules.services import library_install

RUNNING_SLUG = "mandos-que-inspiran"
CAREER_SLUG = "impulsa-tu-carrera"
DEMO_NAMESPACE = uuid.UUID("6f1c1d8e-4a3b-4b55-9a59-8d7f0e7f5a10")

# (role, library key, days from the program start): the running program started 60 days ago,
# so "feedback" is overdue for mentors and the last one of each role is still ahead.
RUNNING_PLAN = [
    (Role.MENTOR, "mentor-role", -21),
    (Role.MENTOR, "taking-part", -14),
    (Role.MENTOR, "feedback", 30),
    (Role.MENTOR, "grow-model", 75),
    (Role.MENTEE, "mentee-role", -21),
    (Role.MENTEE, "taking-part", -14),
    (Role.MENTEE, "first-meeting", -7),
    (Role.MENTEE, "active-listening", 70),
]
CAREER_PLAN = [
    (Role.MENTOR, "mentor-role", -7),
    (Role.MENTOR, "taking-part", -3),
    (Role.MENTEE, "mentee-role", -7),
    (Role.MENTEE, "taking-part", -3),
]


def _require(program: Program, plan, library: dict[str, Module]) -> int:
    made = 0
    for role, key, days in plan:
        module = library.get(key)
        if module is None:
            continue
        _, created = Requirement.objects.get_or_create(
            program=program, role=role, module=module, defaults={"due_days": days}
        )
        made += created
    return made


def _complete(person: User, module: Module, when: datetime) -> int:
    """Record `person` finishing `module` at `when` (with a passed check when it has one)."""
    score = None
    questions = list(module.questions.order_by("order", "pk"))
    if questions:
        score = 100
        attempt, created = Attempt.objects.get_or_create(
            person=person,
            nonce=uuid.uuid5(DEMO_NAMESPACE, f"{person.email}:{module.family}"),
            defaults={
                "module": module,
                "answers": {str(q.code): q.answer for q in questions},
                "wrong": [],
                "correct_count": len(questions),
                "question_count": len(questions),
                "score": score,
                "passed": True,
            },
        )
        if created:
            Attempt.objects.filter(pk=attempt.pk).update(created_at=when, updated_at=when)
    _, created = Completion.objects.get_or_create(
        person=person,
        family=module.family,
        defaults={
            "module": module,
            "completed_at": when,
            "score": score,
            "signed_off_at": when if module.needs_sign_off else None,
        },
    )
    return created


def _progress(program: Program, demo: dict[str, User]) -> int:
    """Most people are up to date, some finished everything, every fourth one is behind."""
    today = timezone.localdate()
    requirements = list(
        Requirement.objects.filter(program=program).select_related("module", "program")
    )
    enrolments = (
        Application.objects.enrolled()
        .filter(program=program)
        .select_related("person")
        .order_by("person__email")
    )
    made = 0
    for index, application in enumerate(enrolments):
        person = application.person
        due = sorted(
            (r for r in requirements if r.role == application.role and r.due_on < today),
            key=lambda r: r.due_days,
        )
        if person == demo["mentor"]:
            # Done what was due before the start; the feedback module is overdue.
            due = [r for r in due if r.due_days < 0]
        elif person == demo["mentee"]:
            pass  # every past deadline met; active listening is still ahead
        elif index % 4 == 3:
            due = due[:1]
        elif index % 4 == 0:
            # Some keen people have finished what is not due yet, too.
            due = sorted(
                (r for r in requirements if r.role == application.role),
                key=lambda r: r.due_days,
            )
        for requirement in due:
            when = datetime.combine(
                requirement.due_on - timedelta(days=2 + index % 3),
                time(10 + index % 6),
                tzinfo=ZoneInfo(settings.TIME_ZONE),
            )
            when = min(when, timezone.now() - timedelta(hours=1 + index))
            made += _complete(person, requirement.module, when)
    return made


def _workshops(program: Program, library: dict[str, Module], demo: dict[str, User]) -> int:
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    specs = [
        (
            "Taller práctico: dar y recibir retroalimentación",
            datetime.combine(today + timedelta(days=9), time(16), tzinfo=zone),
            "Sala Ágora, Madrid",
            "",
            library.get("feedback"),
            "Practicaremos el modelo SCI por parejas con casos reales. Trae una situación "
            "en la que te gustaría haber dado mejor una retroalimentación.",
        ),
        (
            "Taller: vuestra primera reunión",
            datetime.combine(today - timedelta(days=50), time(10), tzinfo=zone),
            "",
            "https://meet.example.com/primera-reunion",
            library.get("first-meeting"),
            "Cómo preparar y conducir la primera reunión de la pareja de mentoría.",
        ),
    ]
    participants = list(
        Application.objects.enrolled()
        .filter(program=program)
        .select_related("person")
        .order_by("person__email")
    )
    made = 0
    for title, starts_at, place, link, module, description in specs:
        workshop, created = Workshop.objects.update_or_create(
            program=program,
            title=title,
            defaults={
                "starts_at": starts_at,
                "duration_minutes": 90,
                "place": place,
                "video_url": link,
                "capacity": 12,
                "audience": Audience.BOTH,
                "module": module,
                "description": description,
            },
        )
        made += created
        past = starts_at < timezone.now()
        people = [demo["mentor"], *[a.person for a in participants[:9]]]
        for index, person in enumerate(dict.fromkeys(people)):
            Registration.objects.get_or_create(
                workshop=workshop,
                person=person,
                defaults={
                    "status": Registration.Status.REGISTERED,
                    "attended": (index % 4 != 1) if past else None,
                },
            )
    return made


@transaction.atomic
def seed_training(demo_accounts: dict[str, str]) -> dict[str, int]:
    hr = User.objects.get(email=demo_accounts["hr"])
    demo = {
        "mentor": User.objects.get(email=demo_accounts["mentor"]),
        "mentee": User.objects.get(email=demo_accounts["mentee"]),
    }
    installed = library_install(by=hr)
    # Requirements point at the Spanish versions; English readers see the translation.
    library = {
        module.library_key: module
        for module in Module.objects.library().published().filter(language="es")
    }
    counts = {"modules": installed["created"], "requirements": 0, "completions": 0}
    counts["workshops"] = 0
    running = Program.objects.filter(slug=RUNNING_SLUG).first()
    if running is not None:
        counts["requirements"] += _require(running, RUNNING_PLAN, library)
        counts["completions"] += _progress(running, demo)
        counts["workshops"] += _workshops(running, library, demo)
    career = Program.objects.filter(slug=CAREER_SLUG).first()
    if career is not None:
        counts["requirements"] += _require(career, CAREER_PLAN, library)
        counts["completions"] += _progress(career, demo)
    return counts
