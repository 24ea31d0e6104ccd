"""A person's data: everything the platform holds about them, gathered for export.

Each app answers the `personal_data` hook with its own section (see `people/hooks.py`);
this module adds the directory's own, and packs it all as a zip with `data.json` and a
readable `index.html`.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from .hooks import personal_data
from .models import User

# What replaces a free text an erased person wrote (kept short and language-neutral: it
# is stored once and read in either language).
ERASED_TEXT = "—"


def rows(queryset, *fields: str) -> list[dict]:
    """The given fields of each row, as plain dicts (for an app's section)."""
    return list(queryset.values(*fields))


def directory_section(person: User) -> dict:
    return {
        "profile": {
            "code": person.code,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "language": person.language,
            "job_title": person.job_title,
            "department": person.department.name if person.department_id else "",
            "manager": str(person.manager) if person.manager_id else "",
            "location": person.location,
            "hired_on": person.hired_on,
            "skills": [skill.name for skill in person.skills.all()],
            "languages": [language.code for language in person.languages.all()],
            "is_active": person.is_active,
            "is_hr_admin": person.is_hr,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        },
        "email_changes": rows(
            person.email_changes.all(),
            "old_email",
            "new_email",
            "status",
            "created_at",
            "decided_at",
        ),
    }


def personal_data_of(person: User) -> dict:
    """Every section about `person`, keyed by app label, in stage order."""
    sections: dict[str, dict] = {"people": directory_section(person)}
    for item in personal_data:
        section = item(person=person)
        if section:
            label = item.__module__.split(".")[0]
            sections.setdefault(label, {}).update(section)
    return {
        "exported_at": timezone.now(),
        "person": person.code,
        "sections": sections,
    }


def _cell(value) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return str(value)


def _tables(data: dict) -> list[dict]:
    """The sections as tables (one per part: a dict is one row), for the HTML page."""
    plain = json.loads(json.dumps(data["sections"], cls=DjangoJSONEncoder))
    tables = []
    for app, parts in plain.items():
        for name, value in parts.items():
            records = [value] if isinstance(value, dict) else value
            columns = list(records[0]) if records else []
            tables.append(
                {
                    "title": f"{app} · {name}",
                    "columns": columns,
                    "rows": [[_cell(record.get(c)) for c in columns] for record in records],
                }
            )
    return tables


def personal_data_zip(person: User) -> bytes:
    data = personal_data_of(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "index.html",
            render_to_string(
                "people/personal_data_index.html",
                {"person": person, "exported_at": data["exported_at"], "tables": _tables(data)},
            ),
        )
    return buffer.getvalue()
