"""The directory as an employee file that `people.importing` reads back unchanged."""

from __future__ import annotations

import csv
from typing import TextIO

from core.csvsafe import neutralize

from .importing.reading import COLUMNS
from .models import User, UserQuerySet

HEADER = list(COLUMNS)


def employee_row(person: User) -> list[str]:
    """One person in the import format; expects `User.objects.with_directory()` data."""
    return [
        person.email,
        person.first_name,
        person.last_name,
        person.department.name if person.department else "",
        person.job_title,
        person.manager.email if person.manager else "",
        person.location,
        ", ".join(sorted(language.code for language in person.languages.all())),
        ", ".join(sorted((skill.name for skill in person.skills.all()), key=str.casefold)),
    ]


def write_employees_csv(out: TextIO, people: UserQuerySet | None = None) -> int:
    """Write everyone (active or not), or `people`, ordered by email; return the row count.

    Three queries whatever the size. Every cell goes through `neutralize` so that a
    spreadsheet shows formulas typed into the directory as text instead of running them.
    The text is written as is: whoever encodes it chooses UTF-8 with or without a BOM.
    """
    people = (User.objects.all() if people is None else people).with_directory().order_by("email")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for person in people:
        writer.writerow([neutralize(cell) for cell in employee_row(person)])
        count += 1
    return count
