"""Demo data for the directory: departments, people, skills, languages and the demo accounts.

The first step of `manage.py seed_demo`; deterministic (seeded random) and safe to run again:
rows are found by natural keys and updated.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Department, User
from .services import (
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
