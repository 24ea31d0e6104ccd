"""Employee files applied to the directory: all or nothing, each upload at most once."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from audit.services import Action, audit_record

from ..models import Department, EmployeeImport, Language, Skill, User
from ..services import (
    department_get_or_create,
    email_address_sync,
    language_get_or_create,
    skill_get_or_create,
)
from .reading import Directory, ImportPlan, ImportRejected, PlannedRow, chunks, employees_plan


def employees_import(
    *, data: bytes, by: User | None = None, request=None, filename: str = ""
) -> ImportPlan:
    """Apply an employee file in one transaction; `ImportRejected` if any row is wrong.

    People are matched by email: a row whose email is not in the directory adds a
    person, so a file can never change anyone's email (see `email_change_request`), nor
    anyone's role or access (the file has no such columns).
    """
    with transaction.atomic():
        plan, directory = employees_plan(data)
        if not plan.is_valid:
            raise ImportRejected(plan)
        _apply(plan, directory)
        audit_record(
            actor=by,
            action=Action.IMPORT_CONFIRMED,
            details={
                "file": filename,
                "created": len(plan.creates),
                "updated": len(plan.updates),
                "unchanged": len(plan.unchanged),
            },
            request=request,
        )
    return plan


def employee_import_confirm(
    *, batch: EmployeeImport, by: User | None = None, request=None
) -> ImportPlan:
    """Apply an uploaded file HR has previewed; each upload is applied at most once.

    Raises `ImportRejected` when the file no longer fits the directory, and
    `EmployeeImport.DoesNotExist` when the upload was applied already.
    """
    with transaction.atomic():
        # The conditional UPDATE claims the upload: a double click or two admins
        # confirming at once wait on the row, and the second finds it applied.
        claimed = EmployeeImport.objects.filter(pk=batch.pk, applied_at__isnull=True).update(
            applied_at=timezone.now()
        )
        if not claimed:
            raise EmployeeImport.DoesNotExist
        plan = employees_import(
            data=bytes(batch.content), by=by, request=request, filename=batch.filename
        )
        EmployeeImport.objects.filter(pk=batch.pk).update(
            created_count=len(plan.creates), updated_count=len(plan.updates)
        )
    return plan


def _by_lower_name(model, names: Iterable[str], get_or_create) -> dict:
    found = {obj.name.lower(): obj for obj in model.objects.all()}
    for name in names:
        if name.lower() not in found:
            found[name.lower()] = get_or_create(name)
    return found


def _apply(plan: ImportPlan, directory: Directory) -> None:
    rows = plan.rows
    departments = _by_lower_name(
        Department, {row.values["department"] for row in rows}, department_get_or_create
    )
    skills = _by_lower_name(
        Skill, {name for row in rows for name in row.values["skills"]}, skill_get_or_create
    )
    codes = {code for row in rows for code in row.values["languages"]}
    languages = {lang.code: lang for lang in Language.objects.filter(code__in=codes)}
    for code in codes - languages.keys():
        languages[code] = language_get_or_create(code)

    users: dict[str, User] = {}
    new_people: list[User] = []
    for row in rows:
        user = directory.users.get(row.email)
        if user is None:
            user = User(email=row.email)
            user.set_unusable_password()
            new_people.append(user)
        users[row.email] = user
        if row.action == "unchanged":
            continue
        user.email = row.email
        user.first_name = row.values["first_name"]
        user.last_name = row.values["last_name"]
        user.department = departments[row.values["department"].lower()]
        user.job_title = row.values["job_title"]
        user.location = row.values["location"]
        if user.pk is not None:
            # Only the columns the file owns, so a concurrent edit of anything else survives.
            user.save(
                update_fields=[
                    "email",
                    "first_name",
                    "last_name",
                    "department",
                    "job_title",
                    "location",
                    "updated_at",
                ]
            )
    # Sets each new person's pk (PostgreSQL, and SQLite 3.35+ through RETURNING).
    User.objects.bulk_create(new_people, batch_size=500)

    for relation, key, objects in (
        ("languages", "language", languages),
        ("skills", "skill", skills),
    ):
        through = getattr(User, relation).through
        to_set = [row for row in rows if relation in directory.changed.get(row.email, {relation})]
        replaced = [users[row.email].pk for row in to_set if row.action == "update"]
        for chunk in chunks(replaced):
            through.objects.filter(user_id__in=chunk).delete()
        links = {
            (users[row.email].pk, objects[value.lower()].pk)
            for row in to_set
            for value in row.values[relation]
        }
        through.objects.bulk_create(
            [through(user_id=user_id, **{f"{key}_id": pk}) for user_id, pk in links],
            batch_size=500,
        )

    # Second pass: every person of the file exists now, wherever their manager's row was.
    pk_of = {**directory.pk_of, **{email: user.pk for email, user in users.items()}}
    reports_of: dict[int | None, list[int]] = {}
    for row in rows:
        user = users[row.email]
        manager_id = pk_of[row.values["manager_email"]] if row.values["manager_email"] else None
        if user.manager_id != manager_id:
            user.manager_id = manager_id
            reports_of.setdefault(manager_id, []).append(user.pk)
    for manager_id, report_ids in reports_of.items():
        for chunk in chunks(report_ids):
            User.objects.filter(pk__in=chunk).update(manager_id=manager_id)

    _sync_email_addresses(rows, users)


def _sync_email_addresses(rows: list[PlannedRow], users: dict[str, User]) -> None:
    """HR vouches for every address in the file: each one is verified and primary."""
    # A new person has no address yet, so `email_address_sync` would only add this row:
    # one insert for all of them keeps a large file quick.
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[row.email], email=row.email, verified=True, primary=True)
            for row in rows
            if row.action == "create"
        ],
        batch_size=500,
    )
    existing = [users[row.email].pk for row in rows if row.action != "create"]
    good: set[tuple[int, str]] = set()
    for chunk in chunks(existing):
        good.update(
            EmailAddress.objects.filter(user_id__in=chunk, verified=True, primary=True).values_list(
                "user_id", "email"
            )
        )
    for row in rows:
        user = users[row.email]
        if row.action != "create" and (user.pk, user.email) not in good:
            email_address_sync(user)
