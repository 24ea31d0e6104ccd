"""Dashboards: HR per program and across programs, managers' teams, participants' progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from core.access import hr_required
from core.csvsafe import csv_download
from programs.access import get_program_for_hr, manage_context
from programs.models import Program

from .. import charts, exporting
from ..anonymity import MIN_GROUP
from . import selectors

OVERVIEW_PAGE_SIZE = 20
OVERVIEW_ORDER = (
    Program.Status.RUNNING,
    Program.Status.MATCHING,
    Program.Status.RECRUITING,
    Program.Status.CLOSED,
)


def _charts(data: dict) -> dict:
    drawn = {
        "meetings": charts.meetings_chart(
            data["weeks"],
            title=_("Meetings held per week"),
            header=_("Meetings held"),
            week=_("Week starting"),
        )
        if any(n for _day, n in data["weeks"])
        else None
    }
    satisfaction = data["distributions"]["satisfaction"]
    drawn["satisfaction"] = (
        charts.distribution_chart(
            satisfaction,
            slug="satisfaction",
            title=_("Satisfaction (1 to 5)"),
            label_header=_("Score"),
            value_header=_("Answers"),
        )
        if satisfaction
        else None
    )
    recommendation = data["distributions"]["recommendation"]
    drawn["recommendation"] = (
        charts.distribution_chart(
            recommendation,
            slug="recommendation",
            title=_("Would recommend the program (0 to 10)"),
            label_header=_("Score"),
            value_header=_("Answers"),
        )
        if recommendation
        else None
    )
    for row in data["objectives"]:
        row.chart = (
            charts.trend_chart(
                row.history,
                slug=f"objective-{row.objective.pk}",
                title=_("Trend of “%(objective)s”") % {"objective": row.objective.title},
                value_header=str(row.indicator.label),
                day_header=_("Day"),
                target_header=_("Target"),
                target=row.target,
            )
            if len([v for _d, v in row.history if v is not None]) > 1
            else None
        )
    return drawn


@hr_required
def program_dashboard(request, slug):
    program = get_program_for_hr(slug)
    audit_record(
        actor=request.user, action=Action.PROGRAM_RESULTS_VIEWED, target=program, request=request
    )
    data = selectors.program_dashboard(program)
    context = manage_context(
        program,
        "results",
        charts=_charts(data),
        risks_shown=data["risks"][: selectors.RISKS_SHOWN],
        min_group=MIN_GROUP,
        **data,
    )
    return render(request, "metrics/dashboards/program.html", context)


@hr_required
def program_export(request, slug):
    program = get_program_for_hr(slug)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    data = selectors.program_dashboard(program)
    audit_record(
        actor=request.user,
        action=Action.PROGRAM_RESULTS_EXPORTED,
        target=program,
        details={"format": kind},
        request=request,
    )
    if kind == "csv":
        response = csv_download(f"results-{program.slug}")
        response.write(exporting.csv_text(program, data))
        return response
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(exporting.xlsx_bytes(program, data), content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="results-{program.slug}-{stamp}.xlsx"'
    return response


@hr_required
def overview(request):
    running_first = Case(
        *[When(status=status, then=Value(n)) for n, status in enumerate(OVERVIEW_ORDER)],
        default=Value(len(OVERVIEW_ORDER)),
    )
    programs = (
        Program.objects.exclude(status=Program.Status.DRAFT)
        .annotate(order=running_first)
        .order_by("order", "-starts_on", "name", "pk")
    )
    page = Paginator(programs, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.overview(list(page.object_list))
    return render(
        request,
        "metrics/dashboards/overview.html",
        {
            "page": page,
            "page_obj": page,
            "rows": rows,
            "headers": selectors.overview_headers(),
            "status_labels": selectors.STATUS_LABELS,
        },
    )


def team(request):
    if not request.user.is_manager:
        raise PermissionDenied
    rows = selectors.team_participation(request.user)
    return render(request, "metrics/dashboards/team.html", {"rows": rows})


def my_progress(request):
    return render(
        request, "metrics/dashboards/my_progress.html", selectors.my_progress(request.user)
    )
