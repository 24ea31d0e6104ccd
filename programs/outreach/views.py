"""Stage 2 outreach: HR's direct invitations, managers' recommendations, colleague
referrals, and the invited person's answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Q, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import hr_required
from core.forms import add_service_errors
from people.models import User

from ..access import get_program_for_employee, get_program_for_hr, manage_context
from ..models import Outreach
from . import selectors, services
from .forms import (
    KIND_CHOICES,
    AppealFilterForm,
    AppealSendForm,
    OutreachFilterForm,
    RecommendationForm,
    ReferralForm,
)

PAGE_SIZE = 25
KIND_LABELS = dict(KIND_CHOICES)
KIND_MODELS = dict(zip(KIND_LABELS, selectors.OUTREACH_MODELS, strict=True))


# --- HR ------------------------------------------------------------------------------


def _outreach_rows(program, filters: dict):
    """All three kinds in one date-ordered list: a UNION of (kind, id) pages in the
    database, then each kind's rows of the page loaded with their people."""
    parts = []
    for kind, model in KIND_MODELS.items():
        if filters.get("kind") and filters["kind"] != kind:
            continue
        rows = model.objects.filter(program=program)
        if filters.get("role"):
            rows = rows.filter(role=filters["role"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        parts.append(
            rows.annotate(kind=Value(kind, output_field=CharField()))
            .values("kind", "pk", "created_at")
            .order_by()
        )
    return parts[0].union(*parts[1:], all=True).order_by("-created_at", "-pk")


def _load_page(rows: list[dict]) -> list[Outreach]:
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row["kind"], []).append(row["pk"])
    loaded = {}
    for kind, ids in wanted.items():
        for item in (
            KIND_MODELS[kind].objects.filter(pk__in=ids).select_related("person__department", "by")
        ):
            item.kind = kind
            item.kind_label = item._meta.verbose_name
            loaded[kind, item.pk] = item
    return [loaded[row["kind"], row["pk"]] for row in rows]


@hr_required
def outreach(request, slug):
    program = get_program_for_hr(slug)
    form = OutreachFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_outreach_rows(program, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _load_page(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/outreach/list.html",
        manage_context(
            program,
            "outreach",
            form=form,
            page=page,
            query=query.urlencode(),
            filtered=any(filters.values()),
        ),
    )


@hr_required
def appeal_new(request, slug):
    """Step 1 (GET): filter the directory. Step 2 (POST): send to the ticked people."""
    program = get_program_for_hr(slug)
    send_form = None
    if request.method == "POST":
        send_form = AppealSendForm(request.POST)
        if send_form.is_valid():
            data = send_form.cleaned_data
            try:
                created = services.appeals_send(
                    program=program,
                    role=data["role"],
                    people=data["people"],
                    message=data["message"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(send_form, exc)
            else:
                skipped = len(data["people"]) - len(created)
                if created:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d invitation is on its way.",
                            "%(count)d invitations are on their way.",
                            len(created),
                        )
                        % {"count": len(created)},
                    )
                if skipped:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)d person was skipped: already invited, applied or no "
                            "longer eligible.",
                            "%(count)d people were skipped: already invited, applied or no "
                            "longer eligible.",
                            skipped,
                        )
                        % {"count": skipped},
                    )
                return redirect(reverse("programs:outreach", args=[program.slug]) + "?kind=appeal")
    filter_form = AppealFilterForm(request.GET or None)
    candidates, total = None, 0
    if filter_form.is_bound and filter_form.is_valid():
        found = selectors.appeal_candidates(program=program, **filter_form.cleaned_data)
        total = found.count()
        candidates = list(found[: services.MAX_APPEAL_BATCH])
        if send_form is None:
            send_form = AppealSendForm(initial={"role": filter_form.cleaned_data["role"]})
        ticked = (
            set(request.POST.getlist("people"))
            if request.method == "POST"
            else {str(person.code) for person in candidates}
        )
        for person in candidates:
            person.ticked = str(person.code) in ticked
    return render(
        request,
        "programs/outreach/appeal_new.html",
        manage_context(
            program,
            "outreach",
            filter_form=filter_form,
            send_form=send_form,
            candidates=candidates,
            total=total,
            batch=services.MAX_APPEAL_BATCH,
            query=request.GET.urlencode(),
        ),
    )


# --- employees -----------------------------------------------------------------------


def recommend(request, slug):
    """A manager recommends someone in their team; the list only holds their reports."""
    program = get_program_for_employee(slug)
    if not request.user.is_manager:
        raise PermissionDenied
    form = RecommendationForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.recommendation_create(
                program=program,
                person=person,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. %(name)s is invited to apply, and HR will see your "
                    "recommendation next to their application."
                )
                % {"name": person},
            )
            return redirect(program)
    return render(
        request,
        "programs/outreach/recommend.html",
        {"program": program, "form": form, "recruiting": program.is_recruiting()},
    )


def _search_colleagues(query: str, user):
    people = User.objects.filter(is_active=True).exclude(pk=user.pk)
    for word in query.split()[:4]:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return people.select_related("department").order_by("last_name", "first_name")[:10]


def refer(request, slug):
    """Any employee suggests a colleague as a mentor and is thanked; nothing more."""
    program = get_program_for_employee(slug)
    query = " ".join(request.GET.get("q", "").split())[:100]
    matches = list(_search_colleagues(query, request.user)) if len(query) >= 2 else None
    form = ReferralForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                program=program,
                person=form.person,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you for suggesting %(name)s! Good mentors make good programs.")
                % {"name": form.person},
            )
            return redirect(program)
    return render(
        request,
        "programs/outreach/refer.html",
        {
            "program": program,
            "form": form,
            "query": query,
            "matches": matches,
            "recruiting": program.is_recruiting(),
        },
    )


def _get_outreach_for_user(request, token: str) -> Outreach:
    """An invitation is only ever shown to the person invited: anyone else gets 404."""
    item = selectors.outreach_find(token=token)
    if item is None or item.person_id != request.user.pk:
        raise Http404
    return item


def outreach_open(request, token):
    item = _get_outreach_for_user(request, token)
    item = services.outreach_open(token=token)
    if item.status == Outreach.Status.DECLINED:
        messages.info(
            request,
            _(
                "You declined this invitation. If you change your mind, apply while "
                "recruitment is open."
            ),
        )
    elif item.status == Outreach.Status.APPLIED:
        messages.info(request, _("You have already applied to this program."))
    else:
        messages.info(
            request,
            _("You are invited to join as %(role)s. Read about the program and apply below.")
            % {"role": item.get_role_display()},
        )
    return redirect(item.program)


def outreach_decline(request, token):
    item = _get_outreach_for_user(request, token)
    if request.method == "POST":
        try:
            services.outreach_decline(token=token)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Thank you for letting us know. Invitation declined."))
        return redirect(item.program)
    return render(
        request,
        "programs/outreach/decline_confirm.html",
        {"item": item, "program": item.program},
    )
