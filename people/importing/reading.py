"""Employee files from HR systems: read and checked against the directory, writing nothing.

A file has one person per row, columns in any order with English or Spanish names
(`email`/`correo`, `first_name`/`nombre`, ...). It may come from Excel: UTF-8 with or
without a byte-order mark or Windows-1252, comma or semicolon separated, CRLF, blank
rows. Every problem is reported with the physical line it is on, and nothing is
written unless the whole file is right (`services` applies a plan all or nothing).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from core.csvsafe import unneutralize

from ..models import Department, Skill, User, normalize_email
from ..services import fold, language_code_for

# Field -> the header names that mean it, already folded (see `_header_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "correo"),
    "first_name": ("first_name", "nombre"),
    "last_name": ("last_name", "apellidos"),
    "department": ("department", "departamento"),
    "job_title": ("job_title", "puesto"),
    "manager_email": ("manager_email", "correo_responsable"),
    "location": ("location", "ubicacion"),
    "languages": ("languages", "idiomas"),
    "skills": ("skills", "competencias"),
}
REQUIRED_COLUMNS = ("email", "first_name", "last_name", "department")
TEXT_FIELDS = ("first_name", "last_name", "job_title", "location")
# Model fields the import owns, in the order changes are listed to HR.
TRACKED_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "department",
    "job_title",
    "manager",
    "location",
    "languages",
    "skills",
)
# Workbooks uploaded instead of a CSV: .xlsx is a zip file, .xls an OLE2 file.
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
QUERY_CHUNK = 900

_HEADER_FIELDS = {name: key for key, names in COLUMNS.items() for name in names}


# --- results -----------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class PlannedRow:
    line: int
    email: str
    action: str  # "create" | "update" | "unchanged"
    changes: list[str]
    values: dict


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "create"]

    @property
    def updates(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "update"]

    @property
    def unchanged(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "unchanged"]


class ImportRejected(Exception):
    """The file has problems; `plan.errors` says which. Nothing was written."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{len(plan.errors)} problem(s) in the employee file")
        self.plan = plan


# --- public API --------------------------------------------------------------------


def employees_read(data: bytes) -> ImportPlan:
    """What importing `data` would do to the directory, and every problem. Writes nothing."""
    return employees_plan(data)[0]


@dataclass
class Directory:
    """What the read found in the database, handed to `services` so it need not reload it."""

    users: dict[str, User] = field(default_factory=dict)  # people of the file, by email
    pk_of: dict[str, int] = field(default_factory=dict)  # everyone, by lower-case email
    manager_of: dict[str, str | None] = field(default_factory=dict)  # everyone's manager email
    changed: dict[str, set[str]] = field(default_factory=dict)  # email -> TRACKED_FIELDS


def employees_plan(data: bytes) -> tuple[ImportPlan, Directory]:
    """`employees_read`, plus the directory rows it loaded for `services` to apply the plan."""
    plan = ImportPlan()
    directory = Directory()
    if data.startswith(WORKBOOK_SIGNATURES):
        plan.errors.append(
            RowError(
                1,
                _(
                    "This is an Excel workbook, not a CSV file. In Excel choose "
                    "“Save as” and the “CSV UTF-8” format, then upload that file."
                ),
            )
        )
        return plan, directory
    text = _decode(data)
    if "\x00" in text:
        plan.errors.append(
            RowError(
                1,
                _(
                    "The file has characters that cannot be read: save it as CSV "
                    "(UTF-8 or Windows-1252) and upload it again."
                ),
            )
        )
        return plan, directory

    rows = _parse(text, plan.errors)
    if rows is None:
        return plan, directory
    cleaned = _check_rows(rows, plan.errors)
    _plan_against_directory(cleaned, plan, directory)
    plan.errors.sort(key=lambda error: error.line)
    return plan, directory


# --- reading -----------------------------------------------------------------------


@dataclass
class _Cells:
    line: int
    cells: dict[str, str]  # field -> trimmed, unneutralized value, for the columns present


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows. The few bytes cp1252 leaves undefined become "�"
        # rather than failing the whole file.
        return data.removeprefix(codecs.BOM_UTF8).decode("cp1252", errors="replace")


def _delimiter(line: str) -> str:
    """`;` (Spanish Excel) or `,`: whichever the header line uses more, outside quotes."""
    counts = {";": 0, ",": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _header_key(name: str) -> str:
    return fold(name).replace(" ", "_").replace("-", "_")


def _clean(cell: str) -> str:
    return unneutralize(cell.strip()).strip()


def _records(text: str, delimiter: str, errors: list[RowError]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the physical line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(
                RowError(
                    last_line + 1,
                    _("This line cannot be read as CSV (%(reason)s).") % {"reason": exc},
                )
            )
            return
        start, last_line = last_line + 1, reader.line_num
        # Excel writes empty rows as a run of delimiters.
        if any(cell.strip() for cell in cells):
            yield start, cells


def _parse(text: str, errors: list[RowError]) -> list[_Cells] | None:
    """The data rows keyed by field, or None when the header makes the file unusable."""
    first_line = next((line for line in text.splitlines() if line.strip(" \t,;")), None)
    if first_line is None:
        errors.append(RowError(1, _("The file is empty.")))
        return None
    records = _records(text, _delimiter(first_line), errors)
    header_line, header = next(records, (1, []))

    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _HEADER_FIELDS.get(_header_key(unneutralize(name.strip())))
        if key is None:
            continue  # HR systems add their own columns; they are not ours to read
        if key in positions:
            errors.append(
                RowError(
                    header_line,
                    _("Two columns mean “%(column)s”: keep only one of them.") % {"column": key},
                )
            )
            continue
        positions[key] = position
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        errors.append(
            RowError(
                header_line,
                _(
                    "The first line must name the columns; these required ones are "
                    "missing: %(columns)s."
                )
                % {"columns": ", ".join(missing)},
            )
        )
    if errors:
        return None

    rows = [
        _Cells(
            line,
            {
                key: _clean(cells[position]) if position < len(cells) else ""
                for key, position in positions.items()
            },
        )
        for line, cells in records
    ]
    if not rows and not errors:
        errors.append(RowError(header_line, _("The file has column names but no people.")))
    return rows


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _label(name: str) -> str:
    return str(User._meta.get_field(name).verbose_name)


def _too_long(label: str, value: str, limit: int) -> str:
    return _("%(field)s has %(length)d characters; the limit is %(limit)d.") % {
        "field": label[:1].upper() + label[1:],
        "length": len(value),
        "limit": limit,
    }


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(",") if item.strip()]


@dataclass
class _Clean:
    line: int
    email: str
    ok: bool  # False when the row itself has a problem
    values: dict  # only the columns present in the file


def _check_rows(rows: list[_Cells], errors: list[RowError]) -> list[_Clean]:
    """Checks that need nothing but the row (and earlier rows, for repeats)."""
    first_line_of: dict[str, int] = {}
    cleaned: list[_Clean] = []
    for row in rows:
        cells = row.cells
        problems: list[str] = []

        raw_email = cells["email"]
        email = normalize_email(raw_email)
        person = ""  # the email that stands for this row's person, once it is known to be usable
        if not email:
            problems.append(_("The email is missing."))
        elif len(email) > _max_length(User, "email"):
            problems.append(_too_long(_label("email"), email, _max_length(User, "email")))
        elif not _valid_email(email):
            problems.append(_("“%(value)s” is not a valid email address.") % {"value": raw_email})
        elif email in first_line_of:
            problems.append(
                _("%(email)s is already on line %(first)d: each person can appear only once.")
                % {"email": email, "first": first_line_of[email]}
            )
        else:
            first_line_of[email] = row.line
            person = email

        for key, message in (
            ("first_name", _("The first name is missing.")),
            ("last_name", _("The last name is missing.")),
            ("department", _("The department is missing.")),
        ):
            if not cells[key]:
                problems.append(message)

        values: dict = {}
        for key in TEXT_FIELDS:
            if key in cells:
                values[key] = cells[key]
                limit = _max_length(User, key)
                if len(cells[key]) > limit:
                    problems.append(_too_long(_label(key), cells[key], limit))

        department = " ".join(cells["department"].split())
        values["department"] = department
        limit = _max_length(Department, "name")
        if len(department) > limit:
            problems.append(_too_long(_label("department"), department, limit))

        if "manager_email" in cells:
            manager_email = normalize_email(cells["manager_email"])
            values["manager_email"] = manager_email
            if manager_email and not _valid_email(manager_email):
                problems.append(
                    _("The manager email “%(value)s” is not a valid email address.")
                    % {"value": cells["manager_email"]}
                )
                values["manager_email"] = ""
            elif manager_email and manager_email == email:
                problems.append(_("%(email)s cannot be their own manager.") % {"email": email})
                values["manager_email"] = ""

        if "languages" in cells:
            codes: list[str] = []
            for item in _split(cells["languages"]):
                code = language_code_for(item)
                if code is None:
                    problems.append(
                        _(
                            "“%(value)s” is not a language we recognise. Use a code such as "
                            "“es” or a name such as “Spanish”."
                        )
                        % {"value": item}
                    )
                elif code not in codes:
                    codes.append(code)
            values["languages"] = codes

        if "skills" in cells:
            skills: dict[str, str] = {}
            limit = _max_length(Skill, "name")
            for item in _split(cells["skills"]):
                name = " ".join(item.split())
                if len(name) > limit:
                    problems.append(
                        _(
                            "The skill “%(value)s…” has %(length)d characters; "
                            "the limit is %(limit)d."
                        )
                        % {"value": name[:30], "length": len(name), "limit": limit}
                    )
                skills.setdefault(name.lower(), name)
            values["skills"] = list(skills.values())

        errors.extend(RowError(row.line, message) for message in problems)
        cleaned.append(_Clean(row.line, person, not problems, values))
    return cleaned


def chunks(items: list, size: int = QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_directory(emails: list[str], directory: Directory) -> None:
    """Everyone's email and manager (one query) and the file's people in full."""
    for pk, email, manager_email in User.objects.annotate(
        lower_email=Lower("email"), lower_manager=Lower("manager__email")
    ).values_list("pk", "lower_email", "lower_manager"):
        directory.pk_of[email] = pk
        directory.manager_of[email] = manager_email
    for chunk in chunks([email for email in emails if email in directory.pk_of]):
        for user in (
            User.objects.with_directory()
            .annotate(lower_email=Lower("email"))
            .filter(lower_email__in=chunk)
        ):
            directory.users[user.lower_email] = user


def _plan_against_directory(cleaned: list[_Clean], plan: ImportPlan, directory: Directory) -> None:
    people = [row for row in cleaned if row.email]
    _load_directory([row.email for row in people], directory)
    in_file = {row.email: row for row in people}

    for row in cleaned:
        manager_email = row.values.get("manager_email")
        if manager_email and manager_email not in in_file and manager_email not in directory.pk_of:
            plan.errors.append(
                RowError(
                    row.line,
                    _(
                        "The manager %(email)s is neither in the file nor in the directory. "
                        "Add them to the file or correct the email."
                    )
                    % {"email": manager_email},
                )
            )
            row.ok = False
            row.values["manager_email"] = ""

    _check_manager_cycles(people, directory, plan.errors)

    for row in people:
        if not row.ok:
            continue
        user = directory.users.get(row.email)
        values = _final_values(row.values, user, directory)
        if user is None:
            plan.rows.append(PlannedRow(row.line, row.email, "create", [], values))
            continue
        changed = _changed_fields(row.email, values, user, directory)
        directory.changed[row.email] = changed
        plan.rows.append(
            PlannedRow(
                row.line,
                row.email,
                "update" if changed else "unchanged",
                [_label(name) for name in TRACKED_FIELDS if name in changed],
                values,
            )
        )


def _final_values(values: dict, user: User | None, directory: Directory) -> dict:
    """The person as they will be: optional columns left out of the file keep what is there."""
    current = {"job_title": "", "manager_email": "", "location": "", "languages": [], "skills": []}
    if user is not None:
        current = {
            "job_title": user.job_title,
            "manager_email": directory.manager_of.get(user.email.lower()) or "",
            "location": user.location,
            "languages": sorted(language.code for language in user.languages.all()),
            "skills": sorted(skill.name for skill in user.skills.all()),
        }
    return {
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "department": values["department"],
        **{key: values.get(key, default) for key, default in current.items()},
    }


def _changed_fields(email: str, values: dict, user: User, directory: Directory) -> set[str]:
    changed = {name for name in TEXT_FIELDS if getattr(user, name) != values[name]}
    if user.email != email:
        changed.add("email")
    if user.department is None or user.department.name.lower() != values["department"].lower():
        changed.add("department")
    if (directory.manager_of.get(user.email.lower()) or "") != values["manager_email"]:
        changed.add("manager")
    if {lang.code for lang in user.languages.all()} != set(values["languages"]):
        changed.add("languages")
    if {skill.name.lower() for skill in user.skills.all()} != {
        name.lower() for name in values["skills"]
    }:
        changed.add("skills")
    return changed


def _check_manager_cycles(
    people: list[_Clean], directory: Directory, errors: list[RowError]
) -> None:
    """Report each loop in the manager line once, as it will be after the import."""
    manager_of = dict(directory.manager_of)
    for row in people:
        if "manager_email" in row.values:
            manager_of[row.email] = row.values["manager_email"] or None
    known = manager_of.keys()
    line_of = {row.email: row.line for row in people}
    row_of = {row.email: row for row in people}

    done: set[str] = set()
    for row in people:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = row.email
        while node is not None and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            manager = manager_of.get(node)
            node = manager if manager in known and manager != node else None
        done.update(path)
        if node is None or node not in position:
            continue
        loop = path[position[node] :]
        in_file = [email for email in loop if email in line_of]
        if not in_file:
            continue  # an old loop in the directory that this file does not touch
        start = min(in_file, key=line_of.__getitem__)
        at = loop.index(start)
        loop = loop[at:] + loop[:at]
        errors.append(
            RowError(
                line_of[start],
                _(
                    "These people would manage each other in a circle: %(chain)s "
                    "(each one reports to the next). Change one of their managers."
                )
                % {"chain": " → ".join([*loop, start])},
            )
        )
        for email in in_file:
            row_of[email].ok = False
