"""Deterministic demo data, one function per stage; `manage.py seed_demo` runs them in order.

Every function is safe to run again: rows are found by natural keys and updated.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from people.models import Department, User
from people.services import (
    department_get_or_create,
    email_address_sync,
    hr_group,
    language_get_or_create,
    skill_get_or_create,
)

DEMO_PASSWORD = "mentoring-demo"
DEMO_ACCOUNTS = {
    "hr": "hr@example.com",
    "manager": "manager@example.com",
    "mentor": "mentor@example.com",
    "mentee": "mentee@example.com",
}

FIRST_NAMES = [
    "Lucía",
    "Hugo",
    "Martina",
    "Mateo",
    "Sofía",
    "Leo",
    "Julia",
    "Daniel",
    "Paula",
    "Pablo",
    "Valeria",
    "Álvaro",
    "Carla",
    "Adrián",
    "Noa",
    "Diego",
    "Alba",
    "Mario",
    "Claudia",
    "Javier",
    "Irene",
    "Marcos",
    "Sara",
    "Manuel",
    "Carmen",
    "David",
    "Laura",
    "Jorge",
    "Elena",
    "Sergio",
    "Nerea",
    "Iker",
    "Ainhoa",
    "Jordi",
    "Montse",
    "Xavier",
    "Marta",
    "Raúl",
    "Beatriz",
    "Óscar",
]
LAST_NAMES = [
    "García",
    "Fernández",
    "González",
    "Rodríguez",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Hernández",
    "Ruiz",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Gutiérrez",
    "Alonso",
    "Navarro",
    "Torres",
    "Domínguez",
    "Ramos",
    "Vázquez",
    "Gil",
    "Serrano",
    "Molina",
    "Blanco",
    "Castro",
    "Ortega",
    "Rubio",
    "Sanz",
    "Iglesias",
    "Ferrer",
    "Vidal",
    "Soler",
    "Puig",
    "Etxeberria",
    "Aguirre",
]
LOCATIONS = ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza"]


@dataclass(frozen=True)
class Area:
    name: str
    parent: str | None
    head_title: str
    lead_title: str
    staff_titles: tuple[str, ...]
    skills: tuple[str, ...]
    size: int


AREAS = [
    Area("Dirección", None, "Directora general", "", (), ("Estrategia", "Liderazgo"), 0),
    Area(
        "Ingeniería",
        "Dirección",
        "Director de ingeniería",
        "Jefa de equipo",
        ("Ingeniero de software", "Ingeniera de software sénior", "Ingeniero júnior"),
        (
            "Python",
            "Django",
            "Arquitectura de software",
            "Pruebas automatizadas",
            "Liderazgo técnico",
        ),
        0,
    ),
    Area(
        "Plataforma",
        "Ingeniería",
        "Jefa de plataforma",
        "Responsable de guardias",
        ("Ingeniero de plataforma", "Ingeniera SRE", "Ingeniero júnior"),
        ("Kubernetes", "PostgreSQL", "Observabilidad", "Python", "Seguridad"),
        16,
    ),
    Area(
        "Producto digital",
        "Ingeniería",
        "Director de producto digital",
        "Jefe de equipo",
        ("Desarrolladora front-end", "Desarrollador back-end", "Diseñadora UX"),
        ("JavaScript", "Django", "Diseño de producto", "Accesibilidad", "Python"),
        18,
    ),
    Area(
        "Operaciones",
        "Dirección",
        "Director de operaciones",
        "Supervisor de planta",
        ("Técnica de procesos", "Planificador de producción"),
        ("Lean manufacturing", "Planificación", "Seguridad industrial"),
        10,
    ),
    Area(
        "Mantenimiento",
        "Operaciones",
        "Jefe de mantenimiento",
        "Encargada de turno",
        (
            "Técnico de mantenimiento sénior",
            "Técnica de mantenimiento",
            "Técnico de mantenimiento júnior",
        ),
        (
            "Mantenimiento preventivo",
            "Hidráulica",
            "Electricidad industrial",
            "Autómatas programables",
            "Línea 3",
        ),
        22,
    ),
    Area(
        "Ventas",
        "Dirección",
        "Directora comercial",
        "Jefe de zona",
        ("Ejecutiva de cuentas", "Comercial", "Preventa técnica"),
        ("Negociación", "Gestión de cuentas", "Presentaciones", "Perspicacia comercial"),
        18,
    ),
    Area(
        "Marketing",
        "Dirección",
        "Director de marketing",
        "Responsable de contenidos",
        ("Especialista en marketing digital", "Analista de marketing"),
        ("Marketing digital", "Análisis de datos", "Comunicación", "Redacción"),
        12,
    ),
    Area(
        "Finanzas",
        "Dirección",
        "Directora financiera",
        "Jefa de contabilidad",
        ("Analista financiero", "Contable", "Controller"),
        ("Contabilidad", "Análisis financiero", "Excel avanzado", "Perspicacia comercial"),
        12,
    ),
    Area(
        "Personas",
        "Dirección",
        "Directora de personas",
        "Responsable de desarrollo",
        ("Técnica de RR. HH.", "Técnico de selección", "Especialista en formación"),
        ("Desarrollo del talento", "Selección", "Comunicación", "Mentoría"),
        10,
    ),
    Area(
        "Atención al cliente",
        "Operaciones",
        "Jefa de atención al cliente",
        "Coordinador de turno",
        ("Agente de soporte", "Especialista de soporte sénior"),
        ("Comunicación", "Resolución de conflictos", "Escucha activa", "Empatía"),
        24,
    ),
]


def _email_for(first: str, last: str, taken: set[str]) -> str:
    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.lower())
        return "".join(c for c in text if c.isalnum() and c.isascii())

    base = f"{ascii_part(first)}.{ascii_part(last)}"
    email, n = f"{base}@example.com", 2
    while email in taken:
        email, n = f"{base}{n}@example.com", n + 1
    taken.add(email)
    return email


@dataclass
class PersonSpec:
    email: str
    first_name: str
    last_name: str
    department: str
    job_title: str
    manager_email: str | None
    location: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    hired_on: date
    hr: bool = False


def directory_specs() -> list[PersonSpec]:
    """The demo organisation: the same people every time (seeded random)."""
    rng = random.Random(2026)
    taken = {*DEMO_ACCOUNTS.values(), "carmen.vidal@example.com"}
    specs: list[PersonSpec] = []

    def person(area: Area, title: str, manager: str | None, *, fixed=None, skills=None, **kw):
        if fixed:
            first, last, email = fixed
        else:
            first = rng.choice(FIRST_NAMES)
            last = f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
            email = _email_for(first, last.split()[0], taken)
        languages = ["es"]
        if rng.random() < 0.7:
            languages.append("en")
        if rng.random() < 0.15:
            languages.append(rng.choice(["ca", "fr", "de", "eu", "pt"]))
        spec = PersonSpec(
            email=email,
            first_name=first,
            last_name=last,
            department=area.name,
            job_title=title,
            manager_email=manager,
            location=kw.get("location") or rng.choice(LOCATIONS),
            languages=tuple(languages),
            skills=tuple(
                skills or rng.sample(area.skills, k=min(len(area.skills), rng.randint(1, 3)))
            ),
            hired_on=date(2025, 10, 1) - timedelta(days=rng.randint(30, 25 * 365)),
            hr=kw.get("hr", False),
        )
        specs.append(spec)
        return spec

    by_name = {area.name: area for area in AREAS}
    ceo = person(
        by_name["Dirección"],
        "Directora general",
        None,
        fixed=("Carmen", "Vidal Soler", "carmen.vidal@example.com"),
        location="Madrid",
        skills=("Estrategia", "Liderazgo"),
    )
    heads: dict[str, PersonSpec] = {"Dirección": ceo}
    for area in AREAS[1:]:
        heads[area.name] = person(area, area.head_title, heads[area.parent].email)

    for area in AREAS[1:]:
        head = heads[area.name]
        leads = []
        if area.name == "Plataforma":
            leads.append(
                person(
                    area,
                    "Jefa de equipo de plataforma",
                    head.email,
                    fixed=("Marta", "Gil Herrero", DEMO_ACCOUNTS["manager"]),
                    location="Madrid",
                    skills=("Kubernetes", "PostgreSQL", "Liderazgo técnico"),
                )
            )
            person(
                area,
                "Ingeniero júnior",
                DEMO_ACCOUNTS["manager"],
                fixed=("Pablo", "Navarro Ruiz", DEMO_ACCOUNTS["mentee"]),
                location="Madrid",
                skills=("Python",),
            )
        if area.name == "Producto digital":
            person(
                area,
                "Ingeniera de software sénior",
                head.email,
                fixed=("Elena", "Ferrer Gil", DEMO_ACCOUNTS["mentor"]),
                location="Barcelona",
                skills=("Python", "Django", "Arquitectura de software", "Mentoría"),
            )
        if area.name == "Personas":
            person(
                area,
                "Responsable de programas de mentoría",
                head.email,
                fixed=("Helena", "Ruiz Campos", DEMO_ACCOUNTS["hr"]),
                location="Madrid",
                skills=("Desarrollo del talento", "Mentoría", "Comunicación"),
                hr=True,
            )
        if area.size == 0:
            continue
        while len(leads) < max(1, area.size // 8):
            leads.append(person(area, area.lead_title, head.email))
        for i in range(area.size - len(leads)):
            person(area, rng.choice(area.staff_titles), leads[i % len(leads)].email)
    return specs


@transaction.atomic
def seed_directory() -> dict[str, int]:
    specs = directory_specs()
    tree = {area.name: area.parent for area in AREAS}
    departments: dict[str, Department] = {}
    for name in tree:  # AREAS lists parents before children
        department = department_get_or_create(name)
        parent = departments.get(tree[name]) if tree[name] else None
        if department.parent_id != (parent.pk if parent else None):
            department.parent = parent
            department.save(update_fields=["parent", "updated_at"])
        departments[name] = department

    password_hash = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is slow by design
    existing = {u.email: u for u in User.objects.filter(email__in=[s.email for s in specs])}
    people: dict[str, User] = {}
    created = 0
    for spec in specs:
        user = existing.get(spec.email) or User(email=spec.email, password=password_hash)
        created += user.pk is None
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.department = departments[spec.department]
        user.job_title, user.location = spec.job_title, spec.location
        user.hired_on = spec.hired_on
        user.is_active = True
        if spec.email in DEMO_ACCOUNTS.values():
            user.password = password_hash
            user.language = "es"
        user.save()
        user.languages.set([language_get_or_create(code) for code in spec.languages])
        user.skills.set([skill_get_or_create(name) for name in spec.skills])
        email_address_sync(user)
        people[spec.email] = user
    for spec in specs:
        user = people[spec.email]
        manager = people.get(spec.manager_email) if spec.manager_email else None
        if user.manager_id != (manager.pk if manager else None):
            user.manager = manager
            user.save(update_fields=["manager", "updated_at"])
        if spec.hr:
            user.groups.add(hr_group())
    return {"people": len(specs), "created": created, "departments": len(departments)}


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
        areas=("Operaciones",),
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
    from django.utils import timezone

    from programs.models import Objective, Program
    from programs.questionnaire.services import questions_add_defaults

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
    from programs.models import Question

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
    from datetime import datetime, time

    from django.utils import timezone

    from programs.models import (
        Appeal,
        Application,
        InfoSession,
        Program,
        Recommendation,
        Referral,
        Registration,
    )

    rng = random.Random(7)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    hr = User.objects.get(email=DEMO_ACCOUNTS["hr"])
    counts = {"sessions": 0, "outreach": 0, "applications": 0}
    for program in Program.objects.filter(slug__in=[p.slug for p in DEMO_PROGRAMS]):
        area_ids = set(program.areas.values_list("pk", flat=True))
        if area_ids:
            from people.models import department_subtree_ids

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


def seed_all() -> dict[str, dict[str, int]]:
    from goals.demo import seed_goals
    from matching.demo import seed_matching
    from metrics.demo import seed_metrics
    from training.demo import seed_training

    return {
        "directory": seed_directory(),
        "programs": seed_programs(),
        "recruitment": seed_recruitment(),
        "matching": seed_matching(DEMO_ACCOUNTS),
        "training": seed_training(DEMO_ACCOUNTS),
        "goals": seed_goals(DEMO_ACCOUNTS),
        "metrics": seed_metrics(DEMO_ACCOUNTS),
    }
