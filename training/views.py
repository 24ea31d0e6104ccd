"""Participants: my checklist, reading a module, the knowledge check, sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import checks
from .access import get_attempt_for_person, get_module_for_reader
from .forms import CheckForm, SignOffForm
from .models import Attempt, Module
from .progress import checklists_for, optional_modules_for
from .workshops.selectors import upcoming_workshops_for


def my_training(request):
    checklists = checklists_for(request.user)
    return render(
        request,
        "training/my_training.html",
        {
            "checklists": checklists,
            "optional": optional_modules_for(request.user, checklists),
            "workshops": upcoming_workshops_for(request.user),
        },
    )


def module_detail(request, code):
    module = get_module_for_reader(request.user, code)
    sections = list(module.sections.order_by("order", "pk"))
    other_versions = list(
        Module.objects.published().filter(family=module.family).exclude(pk=module.pk)
    )
    completion = checks.completion_of(module, request.user)
    question_count = module.questions.count()
    attempts = list(Attempt.objects.filter(person=request.user, module__family=module.family)[:5])
    passed = any(attempt.passed for attempt in attempts) or (
        question_count > 0 and checks.passed_check(module, request.user)
    )
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "sections": sections,
            "other_versions": other_versions,
            "completion": completion,
            "question_count": question_count,
            "attempts": attempts,
            "passed": passed,
            "sign_off_form": SignOffForm() if module.needs_sign_off else None,
        },
    )


def module_check(request, code):
    module = get_module_for_reader(request.user, code)
    questions = checks.check_questions(module)
    if not questions:
        messages.info(request, _("This module has no knowledge check."))
        return redirect(module)
    fingerprint = checks.check_fingerprint(questions)
    form = CheckForm(request.POST or None, questions=questions, fingerprint=fingerprint)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = checks.check_submit(
                module=module,
                person=request.user,
                answers=form.answers(),
                fingerprint=form.cleaned_data["fingerprint"],
                nonce=form.cleaned_data["nonce"],
            )
        except checks.CheckChanged as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect("training:module_check", code=module.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("training:attempt", code=attempt.code)
    return render(
        request,
        "training/check.html",
        {"module": module, "form": form, "question_count": len(questions)},
    )


def attempt_detail(request, code):
    attempt = get_attempt_for_person(request.user, code)
    module = attempt.module
    questions = checks.check_questions(module)
    wrong = set(attempt.wrong)
    answered = [
        {"question": q, "right": str(q.code) not in wrong}
        for q in questions
        if str(q.code) in attempt.answers
    ]
    completion = checks.completion_of(module, request.user)
    return render(
        request,
        "training/attempt.html",
        {"attempt": attempt, "module": module, "answered": answered, "completion": completion},
    )


@require_POST
def module_complete(request, code):
    module = get_module_for_reader(request.user, code)
    confirmed = False
    if module.needs_sign_off:
        form = SignOffForm(request.POST)
        confirmed = form.is_valid()
    try:
        checks.module_complete(module=module, person=request.user, confirmed=confirmed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(module)
    if module.needs_sign_off:
        messages.success(request, _("Thank you: your confirmation is recorded."))
    else:
        messages.success(request, _("“%(module)s” is done. Well done!") % {"module": module.title})
    return redirect("training:my_training")


urlpatterns = [
    path("", my_training, name="my_training"),
    path("modules/<uuid:code>/", module_detail, name="module"),
    path("modules/<uuid:code>/check/", module_check, name="module_check"),
    path("modules/<uuid:code>/done/", module_complete, name="module_complete"),
    path("attempts/<uuid:code>/", attempt_detail, name="attempt"),
]
