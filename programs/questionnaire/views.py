"""HR designs the application form of a program: questions per role, order and defaults."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import AlreadySubmitted, add_service_errors, submit_once

from ..access import get_program_for_hr, manage_context
from ..models import Application, Program, Question, Role
from . import selectors, services
from .forms import QuestionForm

SECTION_TITLES = {
    Role.MENTEE: gettext_lazy("Questions for mentees"),
    Role.MENTOR: gettext_lazy("Questions for mentors"),
}


def _role(role: str) -> str:
    if role not in Role.values:
        raise Http404
    return role


def _question(program: Program, code) -> Question:
    return get_object_or_404(program.questions.all(), code=code)


def _list_url(program: Program, question: Question | None = None) -> str:
    url = reverse("programs:questions", args=[program.slug])
    return f"{url}#question-{question.code}" if question else url


def _refuse_if_closed(request, program: Program):
    if program.status == Program.Status.CLOSED:
        messages.error(
            request, _("This program is closed: its questionnaire can no longer change.")
        )
        return redirect(_list_url(program))
    return None


@hr_required
def questions(request, slug):
    program = get_program_for_hr(slug)
    applied = Application.objects.filter(program=program).aggregate(
        **{role: Count("pk", filter=Q(role=role)) for role in Role.values}
    )
    by_role: dict[str, list[Question]] = {role: [] for role in Role.values}
    for question in program.questions.order_by("order", "pk"):
        by_role[question.role].append(question)
    sections = [
        {
            "role": role,
            "title": SECTION_TITLES[role],
            "questions": by_role[role],
            "applied": applied[role],
        }
        for role in (Role.MENTEE, Role.MENTOR)
    ]
    return render(
        request,
        "programs/questionnaire/list.html",
        manage_context(
            program,
            "questions",
            sections=sections,
            editable=program.status != Program.Status.CLOSED,
        ),
    )


@hr_required
def question_create(request, slug, role):
    program = get_program_for_hr(slug)
    question = Question(program=program, role=_role(role))
    return _question_form(request, program, question)


@hr_required
def question_edit(request, slug, code):
    program = get_program_for_hr(slug)
    return _question_form(request, program, _question(program, code))


def _question_form(request, program: Program, question: Question):
    refused = _refuse_if_closed(request, program)
    if refused:
        return refused
    creating = question.pk is None
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():

        def save() -> Question:
            return services.question_save(question=form.save(commit=False), by=request.user)

        try:
            question = (
                submit_once(form, save, then=lambda q: _list_url(program, q))
                if creating
                else save()
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question added.") if creating else _("Question saved."))
            return redirect(_list_url(program, question))
    answered = 0 if creating else selectors.question_answer_count(question)
    return render(
        request,
        "programs/questionnaire/form.html",
        {
            "form": form,
            "program": program,
            "question": question,
            "creating": creating,
            "section_title": SECTION_TITLES[question.role],
            "answered": answered,
        },
    )


@hr_required
def question_delete(request, slug, code):
    program = get_program_for_hr(slug)
    question = _question(program, code)
    refused = _refuse_if_closed(request, program)
    if refused:
        return refused
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.question_delete(question=question)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Question deleted."))
            return redirect(_list_url(program))
    answered = selectors.question_answer_count(question)
    return render(
        request,
        "programs/questionnaire/delete.html",
        {"program": program, "question": question, "answered": answered, "problems": problems},
    )


@hr_required
@require_POST
def question_move(request, slug, code, direction):
    program = get_program_for_hr(slug)
    question = _question(program, code)
    if direction not in ("up", "down"):
        raise Http404
    refused = _refuse_if_closed(request, program)
    if refused:
        return refused
    services.question_move(question=question, direction=direction)
    return redirect(_list_url(program, question))


@hr_required
def questions_restore(request, slug, role):
    program = get_program_for_hr(slug)
    role = _role(role)
    problems = services.questions_restore_problems(program, role)
    if request.method == "POST" and not problems:
        try:
            services.questions_restore_defaults(program=program, role=role, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("“%(section)s” has the default questions again.")
                % {"section": SECTION_TITLES[role]},
            )
            return redirect(_list_url(program))
    return render(
        request,
        "programs/questionnaire/restore.html",
        {
            "program": program,
            "role": role,
            "section_title": SECTION_TITLES[role],
            "problems": problems,
            "current": program.questions.filter(role=role).count(),
        },
    )
