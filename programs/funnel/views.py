"""The recruitment funnel tab of HR's program page."""

from __future__ import annotations

from django.shortcuts import render

from core.access import hr_required

from ..access import get_program_for_hr, manage_context
from .selectors import recruitment_funnel


@hr_required
def funnel(request, slug):
    program = get_program_for_hr(slug)
    return render(
        request,
        "programs/funnel/page.html",
        manage_context(program, "funnel", funnel=recruitment_funnel(program)),
    )
