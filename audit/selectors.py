"""Reads of the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .forms import EntryFilterForm
from .models import Entry


def entries_filtered(form: EntryFilterForm):
    """The entries a valid filter form asks for, newest first (no filter when invalid)."""
    entries = Entry.objects.select_related("actor", "person")
    if not form.is_valid():
        return entries.none() if form.is_bound and form.errors else entries
    data = form.cleaned_data
    code = form.person_code()
    if code:
        entries = entries.filter(Q(actor__code=code) | Q(person__code=code))
    elif data["person"]:
        for word in data["person"].split():
            entries = entries.filter(
                Q(actor_label__icontains=word)
                | Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(target_label__icontains=word)
            )
    if data["action"]:
        entries = entries.filter(action=data["action"])
    zone = timezone.get_current_timezone()
    if data["since"]:
        entries = entries.filter(created_at__gte=datetime.combine(data["since"], time(), zone))
    if data["until"]:
        end = datetime.combine(data["until"] + timedelta(days=1), time(), zone)
        entries = entries.filter(created_at__lt=end)
    return entries
