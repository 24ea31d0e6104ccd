"""Demo data for stage 6: surveys sent and answered, feedback in every state, success stories.

Called by `manage.py seed_demo` after `seed_goals`; safe to run again (rows found by
natural keys). The running program has enough respondents for breakdowns and free text,
the career program too few. Right after seeding, `dispatch_notifications` has pulse
check-ins to send (pairs that started 30 to 40 days ago) and reminders of the midpoint.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from matching.models import Mentorship
from people.models import User
from programs.models import Program

from .models import Feedback, SuccessStory, Survey, SurveyQuestion, SurveyRequest
from .surveys.services import survey_answer, survey_from_template

RUNNING_SLUG = "mandos-que-inspiran"
CATALOGUE_SLUG = "impulsa-tu-carrera"
K = SurveyQuestion.Kind

IDEAS = [
    "Más ejemplos prácticos en la capacitación de mentores.",
    "Que las reuniones se puedan reservar desde el calendario del equipo.",
    "Un encuentro a mitad de programa con todas las parejas.",
    "Plantillas para preparar la primera reunión.",
    "Más tiempo reservado en la agenda para la mentoría.",
    "Poder cambiar la frecuencia de las reuniones a mitad de camino.",
]
FEEDBACK = [
    (
        "La guía de la primera reunión me ayudó mucho; estaría bien tenerla en inglés.",
        "done",
        "La guía de la primera reunión ya está en inglés y en español.",
    ),
    (
        "Me costó encontrar dónde registrar las reuniones.",
        "done",
        "El enlace «Registrar reunión» aparece ahora en la página de cada pareja.",
    ),
    ("Estaría bien un encuentro de todas las parejas a mitad de programa.", "planned", ""),
    ("Preferiría no recibir encuestas por correo.", "dismissed", ""),
    ("¿Podríamos tener sesiones de mentoría en grupo además de las individuales?", "new", ""),
]


def _value(question: SurveyQuestion, rng: random.Random, index: int):
    if question.kind == K.SCALE:
        return rng.choice([3, 4, 4, 5, 5])
    if question.kind == K.RECOMMEND:
        return rng.choice([6, 8, 9, 9, 10])
    if question.kind == K.SINGLE:
        return rng.choice(question.choices)
    if question.kind == K.MULTIPLE:
        return rng.sample(question.choices, k=2)
    if question.kind == K.TEXT:
        return IDEAS[index % len(IDEAS)] if question.required or index % 3 != 2 else ""
    return [{"skill": None, "before": rng.randint(1, 3), "after": rng.randint(3, 5)}]


def _survey(program: Program, kind: str, hr: User, *, status: str) -> tuple[Survey, bool]:
    survey = Survey.objects.filter(program=program, kind=kind).order_by("pk").first()
    if survey is not None:
        return survey, False
    survey = survey_from_template(program=program, kind=kind, by=hr)
    Survey.objects.filter(pk=survey.pk).update(status=status)
    survey.status = status
    return survey, True


def _sent_on_a_fixed_date(survey: Survey, days_ago: int, *, answered: int, rng, skip: str) -> int:
    """Requests sent `days_ago` to every member of the program's pairs; the first
    `answered` people have answered, except `skip` (the demo mentee has one to answer)."""
    today = timezone.localdate()
    schedule = survey.schedules.first()
    schedule.anchor, schedule.send_on, schedule.open_days = (
        "fixed",
        today - timedelta(days=days_ago),
        14,
    )
    schedule.save()
    pairs = (
        Mentorship.objects.filter(program=survey.program, status=Mentorship.Status.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("pk")
    )
    people = {}
    for pair in pairs:
        for person, role in ((pair.mentor, "mentor"), (pair.mentee, "mentee")):
            people.setdefault(person.pk, (person, role, pair))
    made = 0
    questions = list(survey.questions.order_by("order", "pk"))
    sent_at = timezone.now() - timedelta(days=days_ago)
    for index, (person, role, pair) in enumerate(people.values()):
        request, _ = SurveyRequest.objects.get_or_create(
            survey=survey,
            person=person,
            occurrence=f"s{schedule.pk}:fixed",
            defaults={
                "schedule": schedule,
                "mentorship": pair,
                "role": role,
                "closes_at": timezone.make_aware(
                    datetime.combine(schedule.send_on + timedelta(days=14), time.min)
                ),
            },
        )
        SurveyRequest.objects.filter(pk=request.pk, created_at__gt=sent_at).update(
            created_at=sent_at
        )
        if index >= answered or request.status != "open" or person.email == skip:
            continue
        survey_answer(
            request=request,
            by=person,
            answers={q.pk: _value(q, rng, index) for q in questions},
        )
        made += 1
    return made


def _feedback(program: Program, people: list[User]) -> int:
    made = 0
    for (text, status, improvement), author in zip(FEEDBACK, people, strict=False):
        item, created = Feedback.objects.get_or_create(
            program=program,
            author=author,
            text=text,
            defaults={
                "status": status,
                "improvement": improvement,
                "done_at": timezone.now() - timedelta(days=5) if status == "done" else None,
            },
        )
        made += created
    return made


def _stories(program: Program, demo_accounts: dict[str, str], hr: User) -> int:
    pairs = list(
        Mentorship.objects.filter(program=program, status=Mentorship.Status.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("pk")
    )
    demo = next((p for p in pairs if p.mentee.email == demo_accounts["mentee"]), None)
    other = next((p for p in pairs if p is not demo), None)
    now = timezone.now()
    made = 0
    if other is not None:
        _, created = SuccessStory.objects.get_or_create(
            mentorship=other,
            title="De mando novato a líder de confianza",
            defaults={
                "program": program,
                "author": other.mentee,
                "worked_on": (
                    "Preparamos juntos las primeras conversaciones de desempeño y un plan "
                    "para **delegar** el informe semanal."
                ),
                "what_changed": (
                    "Ahora dirijo las reuniones de equipo sin guion y el informe sale cada "
                    "semana sin que yo lo redacte."
                ),
                "quote": "Aprendí a escuchar antes de responder.",
                "status": SuccessStory.Status.PUBLISHED,
                "mentor_consent_at": now - timedelta(days=4),
                "mentee_consent_at": now - timedelta(days=5),
                "published_at": now - timedelta(days=3),
                "published_by": hr,
            },
        )
        made += created
    if demo is not None:
        _, created = SuccessStory.objects.get_or_create(
            mentorship=demo,
            title="Mi primera conversación difícil",
            defaults={
                "program": program,
                "author": demo.mentee,
                "worked_on": "Ensayamos la conversación con mi mentora y preparé un guion.",
                "what_changed": "La conversación salió bien y el equipo lo notó.",
                "quote": "",
                "status": SuccessStory.Status.AWAITING_CONSENT,
                "mentee_consent_at": now - timedelta(days=1),
            },
        )
        made += created
    return made


@transaction.atomic
def seed_metrics(demo_accounts: dict[str, str]) -> dict[str, int]:
    rng = random.Random(6)
    hr = User.objects.get(email=demo_accounts["hr"])
    counts = {"surveys": 0, "answers": 0, "feedback": 0, "stories": 0}
    running = Program.objects.filter(slug=RUNNING_SLUG).first()
    if running is not None:
        midpoint, made = _survey(running, "midpoint", hr, status=Survey.Status.ACTIVE)
        counts["surveys"] += made
        counts["answers"] += _sent_on_a_fixed_date(
            midpoint, 12, answered=13, rng=rng, skip=demo_accounts["mentee"]
        )
        for kind, status in (("pulse", Survey.Status.ACTIVE), ("final", Survey.Status.DRAFT)):
            counts["surveys"] += _survey(running, kind, hr, status=status)[1]
        members = list(
            User.objects.filter(mentorships_as_mentee__program=running)
            .exclude(email__in=demo_accounts.values())
            .order_by("email")
        )
        counts["feedback"] += _feedback(running, members)
        counts["stories"] += _stories(running, demo_accounts, hr)
    career = Program.objects.filter(slug=CATALOGUE_SLUG).first()
    if career is not None and career.mentorships.filter(status="active").exists():
        survey, made = _survey(career, "program", hr, status=Survey.Status.ACTIVE)
        counts["surveys"] += made
        counts["answers"] += _sent_on_a_fixed_date(
            survey, 3, answered=3, rng=rng, skip=demo_accounts["mentee"]
        )
        members = list(
            User.objects.filter(mentorships_as_mentor__program=career).order_by("email")[:1]
        )
        counts["feedback"] += _feedback(career, members[:1])
    return counts
