"""Demo data for stage 3: a running program with pairs, and open requests in the catalogue.

Called by `manage.py seed_demo`; safe to run again (rows found by natural keys).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from people.models import Skill, User
from programs.models import Application, Objective, Program, Question, Role
from programs.questionnaire.services import questions_add_defaults

from .models import MatchRequest, Mentorship
from .pairs.selectors import forbidden_pair_reason
from .proposals import services
from .proposals import services as proposals

RUNNING_SLUG = "mandos-que-inspiran"
CATALOGUE_SLUG = "impulsa-tu-carrera"
MANAGED_SLUG = "relevo-linea-3"


def _answers(program: Program, role: str, skills: list[int], rng: random.Random) -> dict:
    answers: dict[str, object] = {}
    for question in program.questions.filter(role=role):
        if question.kind == Question.Kind.SKILLS:
            answers[str(question.code)] = skills
        elif question.kind == Question.Kind.SINGLE:
            answers[str(question.code)] = rng.choice(question.choices)
        elif question.kind == Question.Kind.MULTIPLE:
            answers[str(question.code)] = rng.sample(question.choices, k=2)
        elif question.kind == Question.Kind.SCALE:
            answers[str(question.code)] = rng.randint(3, 5)
        else:
            answers[str(question.code)] = "Quiero mejorar cómo lidero reuniones difíciles."
    return answers


def _running_program(hr: User) -> Program:
    today = timezone.localdate()
    program, _ = Program.objects.update_or_create(
        slug=RUNNING_SLUG,
        defaults={
            "name": "Mandos que inspiran",
            "summary": "Mandos con experiencia acompañan a quienes estrenan equipo.",
            "description": (
                "Un programa de **habilidades interpersonales** para quienes dirigen un equipo "
                "por primera vez: conversaciones difíciles, dar y recibir retroalimentación, "
                "delegar."
            ),
            "focus": Program.Focus.INTERPERSONAL,
            # HR chose to form these pairs itself (the focus alone would let mentees choose).
            "matching_mode": Program.MatchingMode.MANAGED,
            "status": Program.Status.RUNNING,
            "recruitment_opens": today - timedelta(days=100),
            "recruitment_closes": today - timedelta(days=80),
            "matching_deadline": today - timedelta(days=65),
            "starts_on": today - timedelta(days=60),
            "ends_on": today + timedelta(days=150),
            "partnership_weeks": 24,
            "mentor_capacity": 2,
            "target_pairs": 12,
            "meeting_every_days": Program.Cadence.FORTNIGHTLY,
            "created_by": hr,
        },
    )
    if not program.questions.exists():
        questions_add_defaults(program=program, language="es")
    Objective.objects.update_or_create(
        program=program,
        order=0,
        defaults={
            "title": "Formar 12 parejas de mandos",
            "indicator": "pairs_formed",
            "target": 12,
            "target_date": program.ends_on,
        },
    )
    return program


def _enrol(program: Program, person: User, role: str, answers: dict, hr: User) -> Application:
    application = Application.objects.active().filter(
        program=program, person=person
    ).first() or Application(program=program, person=person)
    application.role = role
    application.status = Application.Status.APPROVED
    application.answers = application.answers or answers
    application.reviewed_by = hr
    application.reviewed_at = application.reviewed_at or timezone.now()
    application.save()
    return application


@transaction.atomic
def seed_matching(demo_accounts: dict[str, str]) -> dict[str, int]:
    counts = _seed_running(demo_accounts)
    counts.update(_seed_catalogue(demo_accounts))
    counts.update(_seed_managed(demo_accounts))
    return counts


def _seed_catalogue(demo_accounts: dict[str, str]) -> dict[str, int]:
    """The career program is matching: the demo mentee browses mentors, the demo mentor has a
    request to answer, and a few pairs already formed."""
    program = Program.objects.filter(slug=CATALOGUE_SLUG).first()
    if program is None:
        return {}
    hr = User.objects.get(email=demo_accounts["hr"])
    Program.objects.filter(pk=program.pk).update(status=Program.Status.MATCHING)
    program.refresh_from_db()
    Application.objects.filter(
        program=program, person__email__in=demo_accounts.values(), status="submitted"
    ).update(status=Application.Status.APPROVED, reviewed_by=hr, reviewed_at=timezone.now())
    mentors = list(
        Application.objects.enrolled()
        .filter(program=program, role=Role.MENTOR)
        .exclude(person__email=demo_accounts["mentor"])
        .select_related("person")
        .order_by("person__email")
    )
    mentees = list(
        Application.objects.enrolled()
        .filter(program=program, role=Role.MENTEE)
        .exclude(person__email__in=demo_accounts.values())
        .select_related("person")
        .order_by("person__email")
    )
    made = {"catalogue_pairs": 0, "catalogue_requests": 0}
    if Mentorship.objects.filter(program=program).exists() or len(mentees) < 3 or not mentors:
        return made
    today = timezone.localdate()
    for mentor, mentee in zip(mentors[:2], mentees[:2], strict=False):
        if forbidden_pair_reason(mentor=mentor.person, mentee=mentee.person):
            continue
        Mentorship.objects.create(
            program=program,
            mentor=mentor.person,
            mentee=mentee.person,
            status=Mentorship.Status.ACTIVE,
            origin=Mentorship.Origin.MENTEE_REQUEST,
            score=78.0,
            starts_on=today,
            deadline=min(today + timedelta(weeks=program.partnership_weeks), program.ends_on),
            activated_at=timezone.now(),
        )
        made["catalogue_pairs"] += 1
    demo_mentor = User.objects.get(email=demo_accounts["mentor"])
    asker = mentees[2].person
    now = timezone.now()
    message = "Me gustaría aprender a diseñar sistemas que escalen. ¿Me ayudas?"
    if not forbidden_pair_reason(mentor=demo_mentor, mentee=asker):
        MatchRequest.objects.create(
            program=program,
            mentee=asker,
            mentor=demo_mentor,
            rank=1,
            message=message,
            sent_at=now - timedelta(days=2),
            expires_at=now + timedelta(days=program.request_reply_days - 2),
            score=81.0,
            scored_at=now - timedelta(days=2),
        )
        made["catalogue_requests"] += 1
        # The program sends requests one at a time: the asker's second choice waits its turn,
        # and HR's tab shows it queued behind the demo mentor.
        second = next(
            (
                m.person
                for m in mentors[2:]
                if not forbidden_pair_reason(mentor=m.person, mentee=asker)
            ),
            None,
        )
        if second is not None:
            MatchRequest.objects.create(
                program=program,
                mentee=asker,
                mentor=second,
                rank=2,
                message=message,
                status=MatchRequest.Status.QUEUED,
                score=74.0,
                scored_at=now - timedelta(days=2),
            )
            made["catalogue_requests"] += 1
    # Someone whose only choice declined: HR sees them among the mentees without a mentor.
    if len(mentees) > 3 and len(mentors) > 2:
        declined_by = mentors[2].person
        turned_down = mentees[3].person
        if not forbidden_pair_reason(mentor=declined_by, mentee=turned_down):
            MatchRequest.objects.create(
                program=program,
                mentee=turned_down,
                mentor=declined_by,
                rank=1,
                message="Quiero mejorar cómo presento en público.",
                status=MatchRequest.Status.DECLINED,
                reply_reason="Este trimestre no tengo hueco; prueba con alguien de Comunicación.",
                sent_at=now - timedelta(days=5),
                expires_at=now + timedelta(days=program.request_reply_days - 5),
                answered_at=now - timedelta(days=3),
                score=62.0,
                scored_at=now - timedelta(days=5),
            )
            made["catalogue_requests"] += 1
    return made


def _seed_managed(demo_accounts: dict[str, str]) -> dict[str, int]:
    """The knowledge-transfer program is matching: HR's engine proposed pairs inside
    Mantenimiento; some are published and waiting for managers, one already started."""
    program = Program.objects.filter(slug=MANAGED_SLUG).first()
    if program is None or Mentorship.objects.filter(program=program).exists():
        return {}
    hr = User.objects.get(email=demo_accounts["hr"])
    Program.objects.filter(pk=program.pk).update(status=Program.Status.MATCHING)
    program.refresh_from_db()
    outcome = proposals.proposals_run(program=program, by=hr)
    if not outcome.proposed:
        return {"proposed_pairs": 0}
    # HR holds one pair back from publishing: it comes back as a draft on the next run.
    proposals.proposal_remove(mentorship=outcome.proposed[-1])
    proposals.proposals_publish(program=program, by=hr)
    first = Mentorship.objects.filter(program=program).order_by("pk").first()
    # One pairing already has every approval: it shows what an active managed pair looks like.
    if first.mentee.manager_id:
        services.pairing_manager_decide(
            mentorship=first, approve=True, comment="Adelante.", by=first.mentee.manager
        )
    services.pairing_mentor_decide(mentorship=first, approve=True, comment="", by=first.mentor)
    # One mentor cannot this quarter: the mentee went back to the pool and HR's new run has a
    # draft for them, to look at before publishing.
    second = Mentorship.objects.filter(program=program).exclude(pk=first.pk).order_by("pk").first()
    if second:
        services.pairing_mentor_decide(
            mentorship=second,
            approve=False,
            comment="Este trimestre tengo una parada de línea y no podré dedicarle tiempo.",
            by=second.mentor,
        )
    proposals.proposals_run(program=program, by=hr)
    return {"proposed_pairs": len(outcome.proposed)}


def _seed_running(demo_accounts: dict[str, str]) -> dict[str, int]:
    rng = random.Random(3)
    hr = User.objects.get(email=demo_accounts["hr"])
    program = _running_program(hr)
    demo_mentor = User.objects.get(email=demo_accounts["mentor"])
    demo_mentee = User.objects.get(email=demo_accounts["mentee"])
    reserved = set(demo_accounts.values())
    seniors = list(
        User.objects.filter(is_active=True, reports__isnull=False)
        .exclude(email__in=reserved)
        .distinct()
        .order_by("email")[:7]
    )
    juniors = list(
        User.objects.filter(is_active=True, reports__isnull=True, manager__isnull=False)
        .exclude(email__in=reserved)
        .exclude(manager__in=seniors)
        .order_by("email")[:11]
    )
    mentors = [demo_mentor, *seniors]
    mentees = [demo_mentee, *juniors]
    skills_pool = sorted(set(Skill.objects.filter(people__in=mentors).values_list("pk", flat=True)))
    for person in mentors:
        offered = list(person.skills.values_list("pk", flat=True))[:4]
        _enrol(program, person, Role.MENTOR, _answers(program, Role.MENTOR, offered, rng), hr)
    for person in mentees:
        wanted = rng.sample(skills_pool, k=min(2, len(skills_pool))) if skills_pool else []
        _enrol(program, person, Role.MENTEE, _answers(program, Role.MENTEE, wanted, rng), hr)

    today = timezone.localdate()
    # Active pairs: the demo mentor with the demo mentee, and most of the others; one pair
    # started late and is near its deadline.
    plans = [(demo_mentor, demo_mentee, 40)]
    for index, mentee in enumerate(juniors[:8]):
        mentor = seniors[index % len(seniors)] if seniors else demo_mentor
        plans.append((mentor, mentee, 55 - index * 3))
    pairs = 0
    for number, (mentor, mentee, days_ago) in enumerate(plans, start=1):
        if mentee.manager_id == mentor.pk or mentor.pk == mentee.pk:
            continue
        starts_on = today - timedelta(days=days_ago)
        deadline = min(starts_on + timedelta(weeks=program.partnership_weeks), program.ends_on)
        if number == len(plans) and number > 1:
            deadline = today + timedelta(days=10)  # a pair near its deadline
        _, made = Mentorship.objects.update_or_create(
            program=program,
            mentee=mentee,
            status__in=Mentorship.HOLDING,
            defaults={
                "mentor": mentor,
                "status": Mentorship.Status.ACTIVE,
                "origin": Mentorship.Origin.HR_PROPOSAL,
                "score": round(rng.uniform(62, 94), 1),
                "starts_on": starts_on,
                "deadline": deadline,
                "activated_at": timezone.now() - timedelta(days=days_ago),
            },
        )
        pairs += made

    # A latecomer from the demo manager's team: HR proposed a mentor, the manager must approve.
    latecomer = (
        User.objects.filter(manager__email=demo_accounts["manager"], is_active=True)
        .exclude(email__in=reserved)
        .order_by("email")
        .first()
    )
    waiting = 0
    free_mentor = next(
        (
            m
            for m in seniors
            if Mentorship.objects.holding_place().filter(program=program, mentor=m).count() < 2
        ),
        None,
    )
    if latecomer and free_mentor:
        wanted = rng.sample(skills_pool, k=min(2, len(skills_pool))) if skills_pool else []
        _enrol(program, latecomer, Role.MENTEE, _answers(program, Role.MENTEE, wanted, rng), hr)
        _, waiting = Mentorship.objects.get_or_create(
            program=program,
            mentee=latecomer,
            status__in=Mentorship.HOLDING,
            defaults={
                "mentor": free_mentor,
                "status": Mentorship.Status.AWAITING_APPROVAL,
                "origin": Mentorship.Origin.HR_PROPOSAL,
                "score": 74.0,
                "manager_decision": Mentorship.Decision.PENDING,
                "mentor_decision": Mentorship.Decision.PENDING,
                "sent_for_approval_at": timezone.now() - timedelta(days=1),
            },
        )
    return {"pairs": pairs, "awaiting_approval": int(waiting)}
