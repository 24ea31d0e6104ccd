"""Demo data for stage 5: signed agreements, goals with steps, meetings past and upcoming.

Called by `manage.py seed_demo` after `seed_matching`; safe to run again (rows found by
natural keys). Right after seeding, `dispatch_notifications` has reminders to send: a
meeting within 24 hours, an overdue step, a pair near its deadline, a pair without goals.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from matching.models import Mentorship
from people.models import Skill, User

from .agreements.services import agreement_open
from .common import partnership_start
from .models import ActionStep, Agreement, AgreementSignature, Goal, Meeting, PrivateNote

RUNNING_SLUG = "mandos-que-inspiran"

GOALS = [
    (
        "Dirigir una conversación difícil con confianza",
        "Preparo y dirijo dos conversaciones de desempeño con mi equipo y recibo "
        "retroalimentación positiva de mi mentora.",
        [
            ("Leer «Conversaciones cruciales» (capítulos 1 a 4)", "mentee", -20, "done"),
            ("Ensayar una conversación con la mentora", "mentor", -6, "done"),
            ("Preparar el guion de la primera conversación real", "mentee", -1, "todo"),
            ("Dirigir la primera conversación y comentarla juntos", "mentee", 12, "todo"),
        ],
    ),
    (
        "Delegar el informe semanal en el equipo",
        "El informe semanal sale tres semanas seguidas sin que yo lo redacte.",
        [
            ("Escribir los pasos del informe para el equipo", "mentee", -10, "done"),
            ("Revisar juntos a quién delegar cada parte", "mentor", 5, "in_progress"),
            ("Primera semana delegada", "mentee", 9, "todo"),
        ],
    ),
]


def _sign(agreement: Agreement, mentorship: Mentorship, when) -> None:
    if agreement.is_signed:
        return
    Agreement.objects.filter(pk=agreement.pk).update(
        mentor_signed_at=when, mentee_signed_at=when, first_signed_at=when
    )
    for role, person in (("mentor", mentorship.mentor), ("mentee", mentorship.mentee)):
        AgreementSignature.objects.get_or_create(
            agreement=agreement,
            version=agreement.version,
            role=role,
            defaults={"signer": person, "signed_at": when},
        )


def _goals(mentorship: Mentorship, skills: list[Skill], *, overdue: bool) -> tuple[int, int]:
    if mentorship.goals.exists():
        return 0, 0
    today = timezone.localdate()
    start = partnership_start(mentorship)
    deadline = mentorship.deadline
    objectives = list(mentorship.program.objectives.all()[:1])
    goals = steps = 0
    for order, (title, measure, plan) in enumerate(GOALS):
        target = min(deadline, max(today + timedelta(days=30), start + timedelta(days=60)))
        goal = Goal.objects.create(
            mentorship=mentorship,
            title=title,
            measure=measure,
            target_date=target,
            status=Goal.Status.IN_PROGRESS,
            review=Goal.Review.AGREED,
            agreed_at=timezone.now() - timedelta(days=max(1, (today - start).days - 5)),
            created_by=mentorship.mentor,
            order=order,
        )
        goal.objectives.set(objectives)
        goal.skills.set(skills[order : order + 2])
        goals += 1
        for step_title, owner, days, status in plan:
            due = today + timedelta(days=days)
            if days == -1 and not overdue:
                status = "done"
            due = max(start, min(due, deadline))
            ActionStep.objects.create(
                goal=goal,
                title=step_title,
                owner=owner,
                due_on=due,
                status=status,
                completed_at=timezone.now() if status == "done" else None,
            )
            steps += 1
    return goals, steps


def _past_meeting(mentorship: Mentorship, days_ago: int, *, notes: bool) -> int:
    when = (timezone.now() - timedelta(days=days_ago)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    meeting, made = Meeting.objects.get_or_create(
        mentorship=mentorship,
        status=Meeting.Status.HELD,
        defaults={
            "starts_at": when,
            "duration_minutes": 60,
            "held_minutes": 55,
            "mode": Meeting.Mode.VIDEO,
            "video_url": "https://meet.example.com/mentoria",
            "agenda": "- Repasar los objetivos\n- Preparar la próxima conversación difícil",
            "shared_notes": (
                "Hablamos de cómo abrir la conversación con una observación concreta y no "
                "con un juicio. **Próximo paso**: escribir el guion."
                if notes
                else ""
            ),
            "scheduled_by": mentorship.mentor,
            "logged_by": mentorship.mentor,
            "logged_at": when + timedelta(hours=1),
        },
    )
    if made and notes:
        PrivateNote.objects.get_or_create(
            meeting=meeting,
            author=mentorship.mentor,
            defaults={"text": "Le cuesta dar malas noticias: practicar con ejemplos reales."},
        )
    return int(made)


def _upcoming_meeting(mentorship: Mentorship) -> int:
    """A meeting 20 hours after seeding, so the 24-hour reminder is due right away."""
    starts_at = (timezone.now() + timedelta(hours=20)).replace(second=0, microsecond=0)
    meeting = mentorship.meetings.scheduled().order_by("-starts_at").first()
    if meeting is not None:
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
        return 0
    Meeting.objects.create(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=45,
        mode=Meeting.Mode.IN_PERSON,
        place="Sala Atlántico, planta 2",
        agenda="- Revisar el guion de la conversación\n- Decidir a quién delegar el informe",
        scheduled_by=mentorship.mentee,
    )
    return 1


@transaction.atomic
def seed_goals(demo_accounts: dict[str, str]) -> dict[str, int]:
    demo_mentee = User.objects.get(email=demo_accounts["mentee"])
    pairs = list(
        Mentorship.objects.active()
        .filter(program__slug=RUNNING_SLUG)
        .select_related("program", "mentor", "mentee")
        .order_by("activated_at", "pk")
    )
    skills = list(Skill.objects.order_by("name")[:4])
    counts = {"agreements": 0, "goals": 0, "steps": 0, "meetings": 0}
    # One pair is left without goals or signatures: the "goals not written" reminder (and
    # HR's copy) has something to say right after seeding.
    without_goals = next((p for p in pairs if p.mentee_id != demo_mentee.pk), None)
    for index, pair in enumerate(pairs):
        is_demo = pair.mentee_id == demo_mentee.pk
        had = Agreement.objects.filter(mentorship=pair).exists()
        agreement = agreement_open(mentorship=pair)
        counts["agreements"] += not had
        if pair == without_goals:
            continue
        start = partnership_start(pair)
        _sign(
            agreement,
            pair,
            timezone.now() - timedelta(days=max(0, (timezone.localdate() - start).days - 3)),
        )
        goals, steps = _goals(pair, skills, overdue=is_demo or index % 3 == 0)
        counts["goals"] += goals
        counts["steps"] += steps
        # The demo pair met two weeks ago; others a while back, some too long ago (the
        # "no meeting for 1.5 × the cadence" reminder).
        counts["meetings"] += _past_meeting(pair, 14 if is_demo else 10 + 4 * index, notes=True)
        if is_demo:
            counts["meetings"] += _upcoming_meeting(pair)
    return counts
