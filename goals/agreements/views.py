"""The agreement pages: the pair reads, edits and signs it; HR reads it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import add_service_errors

from ..access import READERS, get_pair
from ..forms import VersionForm
from .forms import AgreementForm
from .services import agreement_for, agreement_get_or_open, agreement_sign, agreement_update

AGREEMENT_INPUT = ("ground_rules", "cadence_days", "meeting_format", "confidentiality", "deadline")


def _agreement_or_404(mentorship, *, for_change: bool = False):
    agreement = (
        agreement_get_or_open(mentorship=mentorship) if for_change else agreement_for(mentorship)
    )
    if agreement is None:
        raise Http404
    agreement.mentorship = mentorship
    return agreement


def agreement_detail(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    agreement = _agreement_or_404(mentorship)
    return render(
        request,
        "goals/agreements/agreement.html",
        {
            "mentorship": mentorship,
            "agreement": agreement,
            "role": role,
            "sign_form": VersionForm(initial={"version": agreement.version}),
            "my_signature": agreement.signed_at_for(role) if role in ("mentor", "mentee") else None,
            "signatures": agreement.signatures.select_related("signer") if agreement.pk else [],
            "active": mentorship.status == mentorship.Status.ACTIVE,
        },
    )


def agreement_edit(request, code):
    mentorship, _role = get_pair(request.user, code)
    agreement = _agreement_or_404(mentorship, for_change=request.method == "POST")
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement.refresh_from_db()
        agreement.mentorship = mentorship
        try:
            agreement_update(
                agreement=agreement,
                by=request.user,
                version=data["version"],
                **{k: data[k] for k in AGREEMENT_INPUT},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement saved. Both of you sign it again."))
            return redirect("goals:agreement", code=mentorship.code)
    return render(
        request,
        "goals/agreements/agreement_form.html",
        {"form": form, "mentorship": mentorship, "agreement": agreement},
    )


def agreement_sign_view(request, code):
    mentorship, _role = get_pair(request.user, code)
    if request.method != "POST":
        return redirect("goals:agreement", code=mentorship.code)
    agreement = _agreement_or_404(mentorship, for_change=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the agreement and sign again."))
        return redirect("goals:agreement", code=mentorship.code)
    try:
        agreement = agreement_sign(
            agreement=agreement, by=request.user, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if agreement.is_signed:
            messages.success(request, _("You signed. The agreement is now signed by both of you."))
        else:
            messages.success(
                request, _("You signed. The agreement is complete once the other member signs too.")
            )
    return redirect("goals:agreement", code=mentorship.code)
