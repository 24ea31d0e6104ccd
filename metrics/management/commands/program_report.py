"""Print each program's objectives with their indicators, as JSON or CSV."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.csvsafe import neutralize
from metrics.dashboards.selectors import objective_rows
from metrics.indicators import compute_many
from programs.models import Objective, Program

COLUMNS = ["slug", "name", "title", "status", "code", "kind", "value", "target"]


def program_report(programs: list[Program], *, now=None) -> list[dict]:
    """[{"slug", "name", "objectives": [{"title", "status", "indicators": [...]}]}]."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    objectives: dict[int, list[Objective]] = {p.pk: [] for p in programs}
    for objective in Objective.objects.filter(program__in=programs):
        objectives[objective.program_id].append(objective)
    values = compute_many(programs, now=now)
    report = []
    for program in programs:
        rows = objective_rows(program, objectives[program.pk], values[program.pk], today=today)
        report.append(
            {
                "slug": program.slug,
                "name": program.name,
                "objectives": [
                    {
                        "title": row.objective.title,
                        "status": row.status,
                        "indicators": [
                            {
                                "code": row.code,
                                "kind": row.kind,
                                "value": row.value,
                                "target": row.target,
                            }
                        ],
                    }
                    for row in rows
                ],
            }
        )
    return report


class Command(BaseCommand):
    help = (
        "Print, for each program (all of them without SLUG), each objective with its status "
        "(on_track, at_risk, off_track, no_data) and its indicators: code, kind (activity, "
        "process, outcome), value today and target. JSON: a list of programs; CSV: one row "
        "per objective indicator."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="programs to report")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, slugs, format, **options):
        if slugs:
            found = {p.slug: p for p in Program.objects.filter(slug__in=slugs)}
            missing = [slug for slug in slugs if slug not in found]
            if missing:
                raise CommandError(f"No program with the short name: {', '.join(missing)}")
            programs = [found[slug] for slug in dict.fromkeys(slugs)]
        else:
            programs = list(Program.objects.order_by("name", "pk"))
        report = program_report(programs)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout)
        writer.writerow(COLUMNS)
        for program in report:
            for objective in program["objectives"]:
                for item in objective["indicators"]:
                    row = [
                        program["slug"],
                        program["name"],
                        objective["title"],
                        objective["status"],
                        item["code"],
                        item["kind"],
                        "" if item["value"] is None else item["value"],
                        item["target"],
                    ]
                    writer.writerow([neutralize(c) if isinstance(c, str) else c for c in row])
