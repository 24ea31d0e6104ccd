"""The one place views look programs up, so outsiders get 404 and HR pages get their tabs."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Program
from .tabs import manage_tabs


def get_program_for_hr(slug: str) -> Program:
    """Any program, for HR views (the view itself is wrapped in `hr_required`)."""
    return get_object_or_404(Program, slug=slug)


def get_program_for_employee(slug: str) -> Program:
    """Employees see programs once they leave draft; drafts are 404 to them."""
    return get_object_or_404(Program.objects.visible_to_employees(), slug=slug)


def manage_context(program: Program, tab: str, **extra) -> dict:
    return {"program": program, "tabs": manage_tabs(program, tab), **extra}
