"""Before proposing, HR sees each area of the program and which ones cannot be matched."""

from __future__ import annotations

from matching.models import Mentorship
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory


def _enrol(program, department, role, **kwargs):
    person = UserFactory(department=department, language="en")
    ApplicationFactory(program=program, person=person, role=role, status="approved", **kwargs)
    return person


def test_a_single_root_company_is_proposed_inside_its_real_areas(client, db):
    root = DepartmentFactory(name="Dirección")
    hr = UserFactory(hr=True, department=root, language="en")
    engineering = DepartmentFactory(name="Ingeniería", parent=root)
    platform = DepartmentFactory(name="Plataforma", parent=engineering)
    sales = DepartmentFactory(name="Ventas", parent=root)
    marketing = DepartmentFactory(name="Marketing", parent=root)
    program = ProgramFactory(matching_mode="managed", status="matching", created_by=hr, min_score=0)
    engineers = [_enrol(program, platform, "mentee") for _ in range(2)]
    engineer_mentor = _enrol(program, engineering, "mentor", capacity=1)
    sales_mentor = _enrol(program, sales, "mentor", capacity=3)
    _enrol(program, marketing, "mentee")
    _enrol(program, root, "mentee")
    client.force_login(hr)

    board = client.get(f"/matching/programs/{program.slug}/proposals/")
    rows = {
        row.name: (row.mentors, row.places, row.mentees, row.problem)
        for row in board.context["areas"]
    }
    assert board.context["area_level"] == 2
    assert rows["Ingeniería"][:3] == (1, 1, 2)
    assert "1 mentee will stay unmatched" in rows["Ingeniería"][3]
    assert rows["Ventas"] == (1, 3, 0, "")
    assert rows["Marketing"][:3] == (0, 0, 1)
    assert "No mentor" in rows["Marketing"][3]
    assert rows["Dirección"][:3] == (0, 0, 1)
    assert "level 2 of the organisation chart" in board.content.decode()

    client.post(f"/matching/programs/{program.slug}/proposals/run/")
    [pair] = Mentorship.objects.filter(program=program)
    assert pair.mentor == engineer_mentor and pair.mentee in engineers
    assert not Mentorship.objects.filter(mentor=sales_mentor).exists()


def test_people_outside_the_listed_areas_are_shown_apart(client, db, hr_admin):
    maintenance = DepartmentFactory(name="Mantenimiento")
    program = ProgramFactory(matching_mode="managed", status="matching")
    program.areas.set([maintenance])
    _enrol(program, maintenance, "mentor")
    _enrol(program, DepartmentFactory(name="Ventas"), "mentee")
    hr_admin.language = "en"
    hr_admin.save()
    client.force_login(hr_admin)
    rows = client.get(f"/matching/programs/{program.slug}/proposals/").context["areas"]
    assert [(row.name, row.mentors, row.mentees) for row in rows] == [
        ("Mantenimiento", 1, 0),
        ("Outside the program's areas", 0, 1),
    ]
