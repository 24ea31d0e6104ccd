"""A program's training progress as a spreadsheet file: one row per participant."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from django.utils import timezone
from django.utils.translation import gettext as _

from core.csvsafe import neutralize
from programs.models import Role

if TYPE_CHECKING:
    from .requirements.selectors import ProgramProgress


def write_progress_csv(out: TextIO, progress: ProgramProgress) -> int:
    """Write one row per person with a column per required module; return the row count.

    A module's cell holds the completion date, "overdue" or is empty. Every cell goes
    through `neutralize`, so names typed as formulas stay text in a spreadsheet.
    """
    writer = csv.writer(out)
    columns = [
        f"{r.module.title} ({Role(r.role).label}, {r.due_on.isoformat()})"
        for r in progress.requirements
    ]
    writer.writerow(
        [
            neutralize(str(cell))
            for cell in (
                _("Name"),
                _("Email"),
                _("Department"),
                _("Role"),
                _("Done"),
                _("Required"),
                _("Overdue"),
                _("Behind schedule"),
                _("Next due"),
                *columns,
            )
        ]
    )
    count = 0
    for row in progress.rows:
        by_requirement = {item.requirement.pk: item for item in row.items}
        cells = []
        for requirement in progress.requirements:
            item = by_requirement.get(requirement.pk)
            if item is None:
                cells.append("")
            elif item.done:
                cells.append(timezone.localdate(item.completion.completed_at).isoformat())
            elif item.overdue:
                cells.append(_("overdue"))
            else:
                cells.append("")
        person = row.person
        values = [
            person.get_full_name(),
            person.email,
            person.department.name if person.department else "",
            Role(row.role).label,
            row.done_count,
            len(row.items),
            row.overdue_count,
            _("yes") if row.behind else _("no"),
            row.next_due.isoformat() if row.next_due else "",
            *cells,
        ]
        writer.writerow([neutralize(str(value)) for value in values])
        count += 1
    return count
