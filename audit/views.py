"""HR's audit log page and its CSV export."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import hr_required
from core.csvsafe import csv_download, neutralize

from .forms import EntryFilterForm
from .models import Entry
from .selectors import entries_filtered
from .services import audit_record

PAGE_SIZE = 50


def _filter_form(request) -> EntryFilterForm:
    fields = ("person", "action", "since", "until")
    return EntryFilterForm({name: request.GET[name] for name in fields if name in request.GET})


@hr_required
def entry_list(request):
    form = _filter_form(request)
    page = Paginator(entries_filtered(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@hr_required
def entry_export(request):
    form = _filter_form(request)
    entries = entries_filtered(form)
    audit_record(
        actor=request.user,
        action=Entry.Action.AUDIT_EXPORTED,
        details={key: value for key, value in request.GET.items() if value},
        request=request,
    )
    response = csv_download("audit-log")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("When"),
            _("Who"),
            _("Action"),
            _("Person concerned"),
            _("What"),
            _("Details"),
            _("IP address"),
            _("Browser"),
        ]
    )
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                neutralize(value)
                for value in (
                    timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                    entry.actor_label or _("System"),
                    entry.get_action_display(),
                    _person_label(entry),
                    entry.target_label,
                    _details_text(entry.details),
                    entry.ip_address or "",
                    entry.user_agent,
                )
            ]
        )
    return response


def _person_label(entry: Entry) -> str:
    person = entry.person
    return f"{person} <{person.email}>" if person else ""


def _details_text(details: dict) -> str:
    return "; ".join(f"{key}: {value}" for key, value in details.items())
