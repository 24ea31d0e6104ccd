"""The recruitment funnel: from invitation to approved application, counted in the database."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from programs.funnel.selectors import recruitment_funnel
from programs.models import Appeal, Recommendation, Referral, Registration
from tests.factories import ApplicationFactory, InfoSessionFactory, ProgramFactory, UserFactory


def _seed(program, hr, manager):
    """Mentors: 4 direct invitations and 1 referral; mentees: 2 recommendations."""
    now = timezone.now()
    for status, opened in [("sent", None), ("opened", now), ("applied", now), ("declined", None)]:
        Appeal.objects.create(
            program=program,
            person=UserFactory(),
            by=hr,
            role="mentor",
            status=status,
            opened_at=opened,
            message="Hola",
        )
    # Applied from the program page without following the link: still counts as opened.
    Referral.objects.create(
        program=program, person=UserFactory(), by=UserFactory(), role="mentor", status="applied"
    )
    for status, opened in [("opened", now), ("sent", None)]:
        Recommendation.objects.create(
            program=program,
            person=UserFactory(),
            by=manager,
            role="mentee",
            status=status,
            opened_at=opened,
        )
    for role, statuses in [
        ("mentor", ["approved", "approved", "submitted", "withdrawn"]),
        ("mentee", ["approved", "waitlisted", "declined"]),
    ]:
        for status in statuses:
            ApplicationFactory(program=program, role=role, status=status)
    first, second = InfoSessionFactory(program=program), InfoSessionFactory(program=program)
    cancelled = InfoSessionFactory(program=program, cancelled_at=now)
    ana, ben, eva, waiting = UserFactory.create_batch(4)
    for session, person, status, attended in [
        (first, ana, "registered", True),
        (second, ana, "registered", True),  # one person, counted once
        (first, ben, "registered", False),
        (second, eva, "registered", None),
        (second, waiting, "waitlisted", None),
        (cancelled, UserFactory(), "registered", None),
    ]:
        Registration.objects.create(
            session=session, person=person, status=status, attended=attended
        )


def test_the_funnel_counts_a_seeded_recruitment(db, hr_admin, manager):
    program = ProgramFactory()
    _seed(program, hr_admin, manager)
    _seed(ProgramFactory(), hr_admin, manager)  # another program's numbers stay out
    funnel = recruitment_funnel(program)
    mentors, mentees = funnel["mentor"], funnel["mentee"]
    assert {k: mentors[k] for k in ("invited", "opened", "invitations_applied")} == {
        "invited": 5,
        "opened": 3,
        "invitations_applied": 2,
    }
    assert (mentors["invitations_declined"], mentors["opened_pct"]) == (1, 60)
    assert mentors["invitations_applied_pct"] == 40
    assert {k: mentors[k] for k in ("applied", "submitted", "approved", "withdrawn")} == {
        "applied": 4,
        "submitted": 1,
        "approved": 2,
        "withdrawn": 1,
    }
    assert (mentors["approved_pct"], mentors["waitlisted"], mentors["waitlisted_pct"]) == (50, 0, 0)
    assert (mentees["invited"], mentees["opened"], mentees["opened_pct"]) == (2, 1, 50)
    assert (mentees["applied"], mentees["approved"], mentees["approved_pct"]) == (3, 1, 33)
    assert (mentees["waitlisted"], mentees["declined"], mentees["withdrawn"]) == (1, 1, 0)
    assert mentees["invitations_declined_pct"] == 0
    assert mentors["by_kind"]["appeal"]["invited"] == 4
    assert mentors["by_kind"]["referral"]["invitations_applied"] == 1
    assert funnel["channels"]["appeal"] == {
        "invited": 4,
        "opened": 2,
        "invitations_applied": 1,
        "invitations_declined": 1,
        "opened_pct": 50,
        "invitations_applied_pct": 25,
    }
    assert funnel["channels"]["recommendation"]["invited"] == 2
    assert funnel["sessions"] == {
        "registered": 3,
        "waitlisted": 1,
        "attended": 1,
        "attended_pct": 33,
    }


def test_an_empty_program_has_a_funnel_of_zeros_without_percentages(db):
    funnel = recruitment_funnel(ProgramFactory())
    assert funnel["mentor"]["invited"] == funnel["mentee"]["applied"] == 0
    assert funnel["mentor"]["opened_pct"] is None and funnel["mentee"]["approved_pct"] is None
    assert funnel["sessions"]["attended_pct"] is None


def test_the_funnel_takes_a_fixed_small_number_of_queries(
    db, hr_admin, manager, django_assert_max_num_queries
):
    program = ProgramFactory()
    _seed(program, hr_admin, manager)
    with django_assert_max_num_queries(4):
        recruitment_funnel(program)
    _seed(program, hr_admin, manager)
    with django_assert_max_num_queries(4):
        assert recruitment_funnel(program)["mentor"]["invited"] == 10


def test_the_funnel_page_shows_numbers_and_conversions_with_constant_queries(
    hr_client, hr_admin, manager, django_assert_max_num_queries
):
    program = ProgramFactory()
    _seed(program, hr_admin, manager)
    url = f"/programs/manage/{program.slug}/funnel/"
    with django_assert_max_num_queries(12) as few:
        response = hr_client.get(url)
    page = response.content.decode()
    assert response.context["funnel"]["mentor"]["invited"] == 5
    assert "(60%)" in page and "(50%)" in page
    assert 'aria-current="page" href="/programs/manage/' in page  # the funnel tab is active
    _seed(program, hr_admin, manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        hr_client.get(url)


def test_the_funnel_summary_renders_for_the_overview_page(db, hr_admin, manager):
    program = ProgramFactory()
    _seed(program, hr_admin, manager)
    html = render_to_string(
        "programs/funnel/summary.html",
        {"funnel": recruitment_funnel(program), "program": program},
    )
    assert 'data-testid="funnel-summary"' in html
    assert f"/programs/manage/{program.slug}/funnel/" in html


def test_the_funnel_warns_when_mentors_run_short(db):
    from programs.funnel.selectors import recruitment_funnel
    from tests.factories import ApplicationFactory, ProgramFactory

    program = ProgramFactory(mentor_capacity=2)
    ApplicationFactory(program=program, role="mentor", status="approved")
    ApplicationFactory(program=program, role="mentor", status="approved", capacity=1)
    ApplicationFactory(program=program, role="mentor", status="submitted")
    for _ in range(3):
        ApplicationFactory(program=program, role="mentee", status="approved")

    balance = recruitment_funnel(program)["balance"]
    assert balance == {
        "mentors": 2,
        "mentees": 3,
        "places": 3,
        "mentees_per_mentor": 1.5,
        "short": False,
    }

    ApplicationFactory(program=program, role="mentee", status="approved")
    assert recruitment_funnel(program)["balance"]["short"] is True


def test_hr_sees_the_shortage_on_the_overview(hr_client):
    from tests.factories import ApplicationFactory, ProgramFactory

    program = ProgramFactory(mentor_capacity=1)
    ApplicationFactory(program=program, role="mentor", status="approved")
    ApplicationFactory(program=program, role="mentee", status="approved")
    ApplicationFactory(program=program, role="mentee", status="approved")

    response = hr_client.get(f"/programs/manage/{program.slug}/")  # HR reads Spanish

    assert "Faltan mentores: 1 plaza para 2 aprendices aprobados" in response.content.decode()
