"""Reads of the directory that pages share."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Department, EmailChange, Skill, User


def direct_reports(manager: User):
    return (
        User.objects.filter(manager=manager, is_active=True)
        .select_related("department")
        .order_by("last_name", "first_name")
    )


def directory_summary() -> dict[str, int]:
    people = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        without_department=Count("pk", filter=Q(is_active=True, department__isnull=True)),
    )
    return {
        **people,
        "departments": Department.objects.count(),
        "skills": Skill.objects.count(),
    }


def department_tree() -> list[tuple[Department, int]]:
    """Departments in tree order with their depth, and their member counts (two queries)."""
    departments = list(
        Department.objects.annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        )
    )
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for department in sorted(children.get(parent_id, []), key=lambda d: d.name.casefold()):
            ordered.append((department, depth))
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


def open_email_change(person: User) -> EmailChange | None:
    return (
        EmailChange.objects.filter(person=person, status__in=EmailChange.OPEN)
        .select_related("requested_by", "approved_by")
        .first()
    )


def open_email_changes(limit: int = 20) -> list[EmailChange]:
    """Pending email changes for the directory page, those waiting for HR first."""
    return list(
        EmailChange.objects.filter(status__in=EmailChange.OPEN)
        .select_related("person", "requested_by")
        .order_by("status", "-created_at")[:limit]
    )
