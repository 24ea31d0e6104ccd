"""Demo data for stages 1–2: programs with objectives and questionnaires, then recruitment.

Recruitment means information sessions with registrations, invitations, recommendations,
referrals and applications in varied states. Runs after `people.demo.seed_directory` in
`manage.py seed_demo`; deterministic (seeded random) and safe to run again: rows are found by
natural keys and updated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from people.demo import DEMO_ACCOUNTS
from people.models import Department, User, department_subtree_ids

from .models import (
    Appeal,
    Application,
    InfoSession,
    Objective,
    Program,
    Question,
    Recommendation,
    Referral,
    Registration,
)
from .questionnaire.services import questions_add_defaults


@dataclass(frozen=True)
class ProgramSpec:
    slug: str
    name: str
    summary: str
    description: str
    focus: str
    areas: tuple[str, ...]
    manager_approval_required: bool
    target_pairs: int
    objectives: tuple[tuple[str, str, int], ...]


DEMO_PROGRAMS = [
    ProgramSpec(
        slug="relevo-linea-3",
        name="Relevo de conocimiento: línea 3",
        summary=(
            "Los técnicos sénior de Mantenimiento transmiten los procedimientos de la línea 3 "
            "a la nueva generación antes de su jubilación."
        ),
        description=(
            "En los próximos dos años se jubilan cinco técnicos con más de veinte años en la "
            "línea 3. Este programa forma parejas **dentro de Mantenimiento** para que su "
            "conocimiento no se pierda.\n\n"
            "- Emparejamiento propuesto por RR. HH. y aprobado por los gerentes\n"
            "- Una reunión cada dos semanas durante seis meses\n"
            "- Plan de acción escrito con los procedimientos que se van a practicar"
        ),
        focus="knowledge_transfer",
        areas=("Mantenimiento",),
        manager_approval_required=True,
        target_pairs=8,
        objectives=(
            (
                "Transferir los procedimientos de mantenimiento de la línea 3 a 8 técnicos júnior",
                "goal_attainment_rate",
                80,
            ),
            ("Formar 8 parejas de mentoría dentro de Mantenimiento", "pairs_formed", 8),
            ("Reunirse al menos dos veces al mes", "meetings_per_pair_month", 2),
        ),
    ),
    ProgramSpec(
        slug="impulsa-tu-carrera",
        name="Impulsa tu carrera",
        summary=(
            "Elige a tu mentor o mentora entre profesionales de toda la empresa y da el "
            "siguiente paso en tu desarrollo profesional."
        ),
        description=(
            "Un programa abierto a toda la empresa para **crecer profesionalmente**: "
            "comunicación, visión de negocio y liderazgo.\n\n"
            "Cada aprendiz elige a su mentor del catálogo, y juntos acuerdan objetivos y un "
            "plan de acción."
        ),
        focus="career",
        areas=(),
        manager_approval_required=False,
        target_pairs=20,
        objectives=(
            (
                "Que los participantes valoren el programa con al menos 4,2 sobre 5",
                "average_satisfaction",
                4,
            ),
            ("Emparejar al 90 % de los aprendices aprobados", "mentees_matched_share", 90),
            ("Que el 75 % de los objetivos de aprendizaje se cumplan", "goal_attainment_rate", 75),
        ),
    ),
    ProgramSpec(
        slug="vision-de-negocio",
        name="Visión de negocio",
        summary=(
            "Entiende cómo gana dinero la empresa de la mano de quien dirige sus áreas de negocio."
        ),
        description=(
            "Para perfiles técnicos y de operaciones que quieren **perspicacia comercial**: "
            "cuentas de resultados, clientes, precios y cómo se decide una inversión.\n\n"
            "Inscríbete a una sesión informativa y presenta tu solicitud antes del cierre."
        ),
        focus="business_acumen",
        areas=(),
        manager_approval_required=True,
        target_pairs=10,
        objectives=(
            ("Formar 10 parejas de mentoría", "pairs_formed", 10),
            (
                "Que el 80 % de los aprendices termine la capacitación",
                "training_completion_rate",
                80,
            ),
        ),
    ),
]


@transaction.atomic
def seed_programs() -> dict[str, int]:
    today = timezone.localdate()
    hr = User.objects.get(email=DEMO_ACCOUNTS["hr"])
    created = 0
    for spec in DEMO_PROGRAMS:
        program, was_created = Program.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "summary": spec.summary,
                "description": spec.description,
                "focus": spec.focus,
                "matching_mode": Program.default_matching_mode(spec.focus),
                "status": Program.Status.RECRUITING,
                "recruitment_opens": today - timedelta(days=10),
                "recruitment_closes": today + timedelta(days=20),
                "matching_deadline": today + timedelta(days=34),
                "starts_on": today + timedelta(days=41),
                "ends_on": today + timedelta(days=41 + 7 * 30),
                "partnership_weeks": 26,
                "mentor_capacity": 2,
                "target_pairs": spec.target_pairs,
                "meeting_every_days": Program.Cadence.FORTNIGHTLY,
                "manager_approval_required": spec.manager_approval_required,
                "created_by": hr,
            },
        )
        created += was_created
        program.areas.set(Department.objects.filter(name__in=spec.areas))
        if not program.questions.exists():
            questions_add_defaults(program=program, language="es")
        for order, (title, indicator, target) in enumerate(spec.objectives):
            Objective.objects.update_or_create(
                program=program,
                order=order,
                defaults={
                    "title": title,
                    "indicator": indicator,
                    "target": target,
                    "target_date": program.ends_on,
                },
            )
    return {"programs": len(DEMO_PROGRAMS), "created": created}


def _demo_answers(program, role: str, person: User, rng: random.Random) -> dict[str, object]:
    """Plausible answers to the program's questionnaire, in the stored format."""
    answers: dict[str, object] = {}
    skill_ids = list(person.skills.values_list("pk", flat=True))
    for question in program.questions.filter(role=role):
        if question.kind == Question.Kind.SKILLS:
            answers[str(question.code)] = skill_ids[:3]
        elif question.kind == Question.Kind.SINGLE:
            answers[str(question.code)] = rng.choice(question.choices)
        elif question.kind == Question.Kind.MULTIPLE:
            answers[str(question.code)] = rng.sample(question.choices, k=2)
        elif question.kind == Question.Kind.SCALE:
            answers[str(question.code)] = rng.randint(3, 5)
        else:
            answers[str(question.code)] = "Quiero aprender de alguien con experiencia."
    return answers


@transaction.atomic
def seed_recruitment() -> dict[str, int]:
    """Sessions, invitations, recommendations, referrals and applications in varied states."""
    rng = random.Random(7)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    hr = User.objects.get(email=DEMO_ACCOUNTS["hr"])
    counts = {"sessions": 0, "outreach": 0, "applications": 0}
    for program in Program.objects.filter(slug__in=[p.slug for p in DEMO_PROGRAMS]):
        area_ids = set(program.areas.values_list("pk", flat=True))
        if area_ids:
            pool = User.objects.filter(department__in=department_subtree_ids(area_ids))
        else:
            pool = User.objects.all()
        pool = list(
            pool.filter(is_active=True).exclude(email__in=DEMO_ACCOUNTS.values()).order_by("email")
        )
        rng.shuffle(pool)

        sessions = []
        for days, hour, title, place, link in [
            (-3, 10, "Presentación del programa", "Sala Ágora, Madrid", ""),
            (
                4,
                16,
                "Cómo funciona la mentoría (en línea)",
                "",
                "https://meet.example.com/mentoria",
            ),
            (9, 12, "Preguntas y respuestas", "Sala Mediterráneo, Valencia", ""),
        ]:
            starts = datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)
            session, made = InfoSession.objects.update_or_create(
                program=program,
                title=title,
                defaults={
                    "starts_at": starts,
                    "duration_minutes": 45,
                    "place": place,
                    "video_url": link,
                    "capacity": 12,
                    "description": "Te contamos qué es el programa y cómo participar.",
                },
            )
            sessions.append(session)
            counts["sessions"] += made
        for index, person in enumerate(pool[:20]):
            session = sessions[index % len(sessions)]
            full = session.registrations.filter(status=Registration.Status.REGISTERED).count() >= 12
            Registration.objects.get_or_create(
                session=session,
                person=person,
                defaults={
                    "status": Registration.Status.WAITLISTED
                    if full
                    else Registration.Status.REGISTERED,
                    "attended": (index % 3 != 0) if session.starts_at.date() < today else None,
                },
            )

        if len(pool) < 52:
            # A program for one small area (knowledge transfer): its seniors mentor, the others
            # learn from them.
            mentors = [person for person in pool if "sénior" in person.job_title]
            mentees = [person for person in pool if person not in mentors]
        else:
            mentors, mentees = pool[20:32], pool[32:52]
        statuses = [
            Appeal.Status.SENT,
            Appeal.Status.OPENED,
            Appeal.Status.APPLIED,
            Appeal.Status.DECLINED,
        ]
        for index, person in enumerate(mentors[:8]):
            _, made = Appeal.objects.get_or_create(
                program=program,
                role="mentor",
                person=person,
                defaults={
                    "by": hr,
                    "status": statuses[index % 4],
                    "message": "Tu experiencia sería muy valiosa para el programa.",
                },
            )
            counts["outreach"] += made
        for person in mentees[:6]:
            if person.manager_id:
                _, made = Recommendation.objects.get_or_create(
                    program=program,
                    role="mentee",
                    person=person,
                    defaults={
                        "by_id": person.manager_id,
                        "message": "Tiene mucho potencial y quiere crecer.",
                    },
                )
                counts["outreach"] += made
        for person in mentors[8:11]:
            _, made = Referral.objects.get_or_create(
                program=program,
                role="mentor",
                person=person,
                by=rng.choice(pool[60:80] or pool),
                defaults={"message": "Explica muy bien y tiene paciencia."},
            )
            counts["outreach"] += made

        review = [Application.Status.APPROVED] * 5 + [
            Application.Status.SUBMITTED,
            Application.Status.SUBMITTED,
            Application.Status.WAITLISTED,
            Application.Status.DECLINED,
        ]
        for role, people in (("mentor", mentors[:9]), ("mentee", mentees[:14])):
            for index, person in enumerate(people):
                status = review[index % len(review)]
                manager_decision = Application.ManagerDecision.NOT_NEEDED
                if role == "mentee" and program.manager_approval_required and person.manager_id:
                    manager_decision = (
                        Application.ManagerDecision.PENDING
                        if status == Application.Status.SUBMITTED
                        else Application.ManagerDecision.APPROVED
                    )
                _, made = Application.objects.get_or_create(
                    program=program,
                    person=person,
                    status__in=[s for s in Application.Status.values if s != "withdrawn"],
                    defaults={
                        "role": role,
                        "status": status,
                        "answers": _demo_answers(program, role, person, rng),
                        "motivation": "Me gustaría compartir y aprender dentro de la empresa.",
                        "manager_decision": manager_decision,
                        "reviewed_by": hr if status != Application.Status.SUBMITTED else None,
                        "reviewed_at": timezone.now()
                        if status != Application.Status.SUBMITTED
                        else None,
                        "decision_reason": "Este ciclo ya tenemos suficientes mentores de tu área."
                        if status == Application.Status.DECLINED
                        else "",
                    },
                )
                counts["applications"] += made

    career = Program.objects.get(slug="impulsa-tu-carrera")
    for key, role, status in (("mentor", "mentor", "approved"), ("mentee", "mentee", "submitted")):
        person = User.objects.get(email=DEMO_ACCOUNTS[key])
        _, made = Application.objects.get_or_create(
            program=career,
            person=person,
            status__in=["submitted", "approved", "waitlisted", "declined"],
            defaults={
                "role": role,
                "status": status,
                "answers": _demo_answers(career, role, person, rng),
                "motivation": "Quiero crecer y ayudar a crecer.",
                "reviewed_by": hr if status == "approved" else None,
                "reviewed_at": timezone.now() if status == "approved" else None,
            },
        )
        counts["applications"] += made
    return counts
