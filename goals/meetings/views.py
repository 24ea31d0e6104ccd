"""Meetings: schedule with a calendar invite, change, cancel, log; the private calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import AlreadySubmitted, add_service_errors, submit_once

from ..access import READERS, get_meeting, get_pair
from ..forms import ConfirmForm, VersionForm
from ..models import CalendarFeed, Goal, Meeting
from . import selectors, services
from .forms import MeetingForm, MeetingLogForm, NextStepFormSet, PrivateNoteForm

PAGE_SIZE = 20
SCHEDULE_INPUT = ("starts_at", "duration_minutes", "mode", "place", "video_url", "agenda")


def meetings(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    now = timezone.now()
    upcoming = list(mentorship.meetings.upcoming(now).order_by("starts_at", "pk"))
    past = mentorship.meetings.exclude(pk__in=[m.pk for m in upcoming]).order_by("-starts_at")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "goals/meetings/meetings.html",
        {
            "mentorship": mentorship,
            "role": role,
            "upcoming": upcoming,
            "page": page,
            "now": now,
            "can_edit": role in ("mentor", "mentee")
            and mentorship.status == mentorship.Status.ACTIVE,
        },
    )


def meeting_schedule(request, code):
    mentorship, _role = get_pair(request.user, code)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = submit_once(
                form,
                lambda: services.meeting_schedule(
                    mentorship=mentorship,
                    by=request.user,
                    **{k: form.cleaned_data[k] for k in SCHEDULE_INPUT},
                ),
                then=lambda meeting: reverse("goals:meeting", args=[meeting.code]),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Meeting scheduled. You both have an email with the calendar invite.")
            )
            return redirect("goals:meeting", code=meeting.code)
    return render(
        request,
        "goals/meetings/meeting_form.html",
        {"form": form, "mentorship": mentorship, "meeting": None},
    )


def meeting_detail(request, code):
    meeting, role = get_meeting(request.user, code)
    now = timezone.now()
    note = selectors.private_note_for(meeting, request.user)
    return render(
        request,
        "goals/meetings/meeting.html",
        {
            "meeting": meeting,
            "mentorship": meeting.mentorship,
            "role": role,
            "private_note": note,
            "note_form": PrivateNoteForm(initial={"text": note.text if note else ""}),
            "next_steps": meeting.next_steps.select_related("goal"),
            "started": meeting.starts_at <= now,
            "active": meeting.mentorship.status == meeting.mentorship.Status.ACTIVE,
        },
    )


def meeting_edit(request, code):
    meeting, _role = get_meeting(request.user, code)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(request, _("Only scheduled meetings can be changed."))
        return redirect("goals:meeting", code=meeting.code)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting.refresh_from_db()
        try:
            meeting = services.meeting_update(
                meeting=meeting,
                by=request.user,
                version=data["version"] or 0,
                **{k: data[k] for k in SCHEDULE_INPUT},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("goals:meeting", code=meeting.code)
    return render(
        request,
        "goals/meetings/meeting_form.html",
        {"form": form, "mentorship": meeting.mentorship, "meeting": meeting},
    )


def meeting_cancel(request, code):
    meeting, _role = get_meeting(request.user, code)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(request, _("Only scheduled meetings can be cancelled."))
        return redirect("goals:meeting", code=meeting.code)
    form = VersionForm(
        request.POST if request.method == "POST" else None, initial={"version": meeting.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Meeting cancelled. You both have an email that removes it from calendars."),
            )
            return redirect("goals:meetings", code=meeting.mentorship.code)
    return render(request, "goals/meetings/meeting_cancel.html", {"meeting": meeting, "form": form})


def meeting_log(request, code):
    meeting, _role = get_meeting(request.user, code)
    mentorship = meeting.mentorship
    if meeting.starts_at > timezone.now() or meeting.status == Meeting.Status.CANCELLED:
        messages.info(request, _("You can log a meeting once it has taken place."))
        return redirect("goals:meeting", code=meeting.code)
    note = selectors.private_note_for(meeting, request.user)
    goals = Goal.objects.open().filter(mentorship=mentorship)
    data = request.POST if request.method == "POST" else None
    form = MeetingLogForm(
        data,
        initial={
            "outcome": MeetingLogForm.MISSED
            if meeting.status == Meeting.Status.MISSED
            else MeetingLogForm.HELD,
            "held_minutes": meeting.held_minutes or meeting.duration_minutes,
            "shared_notes": meeting.shared_notes,
            "private_note": note.text if note else "",
            "version": meeting.version,
        },
    )
    formset = NextStepFormSet(data, prefix="next", form_kwargs={"goals": goals})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        next_steps = [
            services.NextStep(
                goal=f.cleaned_data["goal"],
                title=f.cleaned_data["title"],
                owner=f.cleaned_data["owner"],
                due_on=f.cleaned_data["due_on"],
            )
            for f in formset.forms
            if f.cleaned_data.get("title")
        ]
        try:
            services.meeting_log(
                meeting=meeting,
                by=request.user,
                version=form.cleaned_data["version"],
                held=form.held,
                held_minutes=form.cleaned_data["held_minutes"],
                shared_notes=form.cleaned_data["shared_notes"],
                private_note=form.cleaned_data["private_note"],
                next_steps=next_steps,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting logged."))
            return redirect("goals:meeting", code=meeting.code)
    return render(
        request,
        "goals/meetings/meeting_log.html",
        {
            "meeting": meeting,
            "mentorship": mentorship,
            "form": form,
            "formset": formset,
            "has_goals": goals.exists(),
        },
    )


@require_POST
def private_note(request, code):
    meeting, _role = get_meeting(request.user, code)
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        try:
            services.private_note_save(
                meeting=meeting, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your private notes are saved."))
    else:
        messages.error(request, _("Your private notes are too long."))
    return redirect("goals:meeting", code=meeting.code)


def meeting_ics(request, code):
    meeting, _role = get_meeting(request.user, code)
    response = HttpResponse(
        selectors.meeting_ics(meeting, attendee=request.user, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    name = slugify(f"mentoring-{timezone.localtime(meeting.starts_at):%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


# --- the private calendar feed ---------------------------------------------------------


def calendar(request):
    feed = services.feed_for(request.user)
    url = selectors.feed_url(feed)
    return render(
        request,
        "goals/meetings/calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1]},
    )


def calendar_reset(request):
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.feed_reset(person=request.user)
        messages.success(
            request,
            _("Your calendar address has changed. Subscribe again with the new one."),
        )
        return redirect("goals:calendar")
    return render(request, "goals/meetings/calendar_reset.html", {"form": form})


@login_not_required
@never_cache
def calendar_feed(request, token):
    """No sign-in: calendar programs fetch it with only the secret token. Wrong token: 404."""
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(token=token, person__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(
        selectors.feed_calendar(feed.person), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mentoring.ics"'
    return response
