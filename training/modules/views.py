"""Modules: HR's library and module editor (sections, knowledge check, copies); participants
read a module, answer its check and finish it.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr
from programs.models import Program

from ..access import (
    get_attempt_for_person,
    get_module_for_hr,
    get_module_for_reader,
    get_question_for_hr,
    get_section_for_hr,
)
from ..models import Attempt, Module, Question, Section
from . import selectors, services
from .forms import (
    CheckForm,
    CopyToProgramForm,
    ModuleForm,
    QuestionForm,
    SectionForm,
    SignOffForm,
    TranslateForm,
)


def _editor_url(module: Module, anchor: str = "") -> str:
    url = reverse("training:module_edit", args=[module.code])
    return f"{url}#{anchor}" if anchor else url


def _grouped(modules: list[Module], language: str) -> list[dict]:
    """One row per family, shown in `language` when that translation exists."""
    families: dict = defaultdict(list)
    for module in modules:
        families[module.family].append(module)
    rows = []
    for versions in families.values():
        versions.sort(key=lambda m: m.language)
        main = next((m for m in versions if m.language == language), versions[0])
        rows.append(
            {
                "module": main,
                "versions": versions,
                "required": sum(m.required_count for m in versions),
            }
        )
    rows.sort(key=lambda row: (row["module"].topic, row["module"].title.casefold()))
    return rows


def _with_counts(queryset):
    return queryset.annotate(
        section_count=Count("sections", distinct=True),
        question_count=Count("questions", distinct=True),
        required_count=Count("requirements", distinct=True),
    )


@hr_required
def library(request):
    modules = list(_with_counts(Module.objects.library().current()))
    rows = _grouped(modules, request.LANGUAGE_CODE)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "training/modules/library.html",
        {
            "page": page,
            "missing": selectors.library_missing(),
            "languages": dict(settings.LANGUAGES),
        },
    )


@hr_required
@require_POST
def library_install_view(request):
    result = services.library_install(by=request.user)
    if result["created"]:
        messages.success(
            request,
            ngettext(
                "%(count)d starter module was added to the library.",
                "%(count)d starter modules were added to the library.",
                result["created"],
            )
            % {"count": result["created"]},
        )
    else:
        messages.info(request, _("The library already has every starter module."))
    return redirect("training:library")


@hr_required
def module_new(request):
    program = None
    if request.GET.get("program"):
        program = get_program_for_hr(request.GET["program"])
    module = Module(program=program, language=request.LANGUAGE_CODE)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_save(module=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Module created. Now add its sections."))
            return redirect(_editor_url(module))
    return render(request, "training/modules/module_new.html", {"form": form, "program": program})


@hr_required
def module_edit(request, code):
    module = get_module_for_hr(code)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_save(module=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_editor_url(module))
    versions = list(Module.objects.current().filter(family=module.family).order_by("language"))
    present = {m.language for m in versions}
    missing_languages = [(code, name) for code, name in settings.LANGUAGES if code not in present]
    requirements = list(
        module.requirements.select_related("program").order_by("program__name", "role")
    )
    return render(
        request,
        "training/modules/module_edit.html",
        {
            "module": module,
            "form": form,
            "sections": list(module.sections.order_by("order", "pk")),
            "questions": list(module.questions.order_by("order", "pk")),
            "versions": versions,
            "missing_languages": missing_languages,
            "requirements": requirements,
            "closed": module.program is not None and module.program.status == Program.Status.CLOSED,
        },
    )


def _run(request, action, success: str):
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success)
    return result


@hr_required
@require_POST
def module_publish(request, code):
    module = get_module_for_hr(code)
    _run(
        request,
        lambda: services.module_publish(module=module, by=request.user),
        _("Module published."),
    )
    return redirect(_editor_url(module))


@hr_required
@require_POST
def module_unpublish(request, code):
    module = get_module_for_hr(code)
    _run(
        request,
        lambda: services.module_unpublish(module=module, by=request.user),
        _("The module is a draft again: participants no longer see it."),
    )
    return redirect(_editor_url(module))


@hr_required
@require_POST
def module_translate(request, code):
    module = get_module_for_hr(code)
    form = TranslateForm(request.POST)
    if not form.is_valid():
        raise Http404
    copy = _run(
        request,
        lambda: services.module_translate(
            module=module, language=form.cleaned_data["language"], by=request.user
        ),
        _("Translation started as a draft, with the text to translate copied in."),
    )
    return redirect(_editor_url(copy or module))


@hr_required
def module_remove(request, code):
    module = get_module_for_hr(code)
    problems = services.module_remove_problems(module)
    back = (
        reverse("training:program_requirements", args=[module.program.slug])
        if module.program
        else reverse("training:library")
    )
    if request.method == "POST" and not problems:
        try:
            services.module_remove(module=module, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("“%(module)s” was removed.") % {"module": module.title})
            return redirect(back)
    return render(
        request,
        "training/modules/module_remove.html",
        {
            "module": module,
            "problems": problems,
            "back": back,
            "completed": module.completions.count(),
        },
    )


@hr_required
def module_copy(request, code):
    module = get_module_for_hr(code)
    if module.program_id is not None:
        raise Http404
    form = CopyToProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.module_copy_to_program(
                module=module, program=form.cleaned_data["program"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Copied into “%(program)s” as a draft. Adapt it, then publish it.")
                % {"program": copy.program.name},
            )
            return redirect(_editor_url(copy))
    return render(request, "training/modules/module_copy.html", {"module": module, "form": form})


# --- sections ----------------------------------------------------------------------


def _section_form(request, section: Section):
    creating = section.pk is None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_save(section=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Section added.") if creating else _("Section saved."))
            return redirect(_editor_url(section.module, f"section-{section.code}"))
    return render(
        request,
        "training/modules/section_form.html",
        {"form": form, "module": section.module, "section": section, "creating": creating},
    )


@hr_required
def section_new(request, code):
    return _section_form(request, Section(module=get_module_for_hr(code)))


@hr_required
def section_edit(request, code):
    return _section_form(request, get_section_for_hr(code))


@hr_required
def section_delete(request, code):
    section = get_section_for_hr(code)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.section_delete(section=section, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Section deleted."))
            return redirect(_editor_url(section.module, "sections"))
    return render(
        request,
        "training/modules/item_delete.html",
        {
            "module": section.module,
            "title": section.title,
            "problems": problems,
            "question": _("Delete the section “%(title)s”?") % {"title": section.title},
        },
    )


@hr_required
@require_POST
def section_move(request, code, direction):
    section = get_section_for_hr(code)
    if direction not in ("up", "down"):
        raise Http404
    services.section_move(section=section, direction=direction)
    return redirect(_editor_url(section.module, f"section-{section.code}"))


# --- knowledge check questions -----------------------------------------------------


# The service names the model's fields; the form edits them as text and a 1-based number.
QUESTION_FIELDS = {"choices": "choices_text", "answer": "right_choice"}


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})
    return exc


def _question_form(request, question: Question):
    creating = question.pk is None
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_save(question=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, _renamed(exc, QUESTION_FIELDS))
        else:
            messages.success(request, _("Question added.") if creating else _("Question saved."))
            return redirect(_editor_url(question.module, f"question-{question.code}"))
    return render(
        request,
        "training/modules/question_form.html",
        {"form": form, "module": question.module, "question": question, "creating": creating},
    )


@hr_required
def question_new(request, code):
    return _question_form(request, Question(module=get_module_for_hr(code)))


@hr_required
def question_edit(request, code):
    return _question_form(request, get_question_for_hr(code))


@hr_required
def question_delete(request, code):
    question = get_question_for_hr(code)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.question_delete(question=question, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Question deleted."))
            return redirect(_editor_url(question.module, "check"))
    return render(
        request,
        "training/modules/item_delete.html",
        {
            "module": question.module,
            "problems": problems,
            "question": _("Delete the question “%(title)s”?") % {"title": question.text},
        },
    )


@hr_required
@require_POST
def question_move(request, code, direction):
    question = get_question_for_hr(code)
    if direction not in ("up", "down"):
        raise Http404
    services.question_move(question=question, direction=direction)
    return redirect(_editor_url(question.module, f"question-{question.code}"))


# --- participants: reading a module, its knowledge check, finishing it -------------


def module_detail(request, code):
    module = get_module_for_reader(request.user, code)
    sections = list(module.sections.order_by("order", "pk"))
    other_versions = list(
        Module.objects.published().filter(family=module.family).exclude(pk=module.pk)
    )
    completion = selectors.completion_of(module, request.user)
    question_count = module.questions.count()
    attempts = list(Attempt.objects.filter(person=request.user, module__family=module.family)[:5])
    passed = any(attempt.passed for attempt in attempts) or (
        question_count > 0 and selectors.passed_check(module, request.user)
    )
    return render(
        request,
        "training/modules/module.html",
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
    questions = selectors.check_questions(module)
    if not questions:
        messages.info(request, _("This module has no knowledge check."))
        return redirect(module)
    fingerprint = selectors.check_fingerprint(questions)
    form = CheckForm(request.POST or None, questions=questions, fingerprint=fingerprint)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.check_submit(
                module=module,
                person=request.user,
                answers=form.answers(),
                fingerprint=form.cleaned_data["fingerprint"],
                nonce=form.cleaned_data["nonce"],
            )
        except services.CheckChanged as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect("training:module_check", code=module.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("training:attempt", code=attempt.code)
    return render(
        request,
        "training/modules/check.html",
        {"module": module, "form": form, "question_count": len(questions)},
    )


def attempt_detail(request, code):
    attempt = get_attempt_for_person(request.user, code)
    module = attempt.module
    questions = selectors.check_questions(module)
    wrong = set(attempt.wrong)
    answered = [
        {"question": q, "right": str(q.code) not in wrong}
        for q in questions
        if str(q.code) in attempt.answers
    ]
    completion = selectors.completion_of(module, request.user)
    return render(
        request,
        "training/modules/attempt.html",
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
        services.module_complete(module=module, person=request.user, confirmed=confirmed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(module)
    if module.needs_sign_off:
        messages.success(request, _("Thank you: your confirmation is recorded."))
    else:
        messages.success(request, _("“%(module)s” is done. Well done!") % {"module": module.title})
    return redirect("training:my_training")
