"""Directory screens: HR manages people, departments, skills and imports; everyone has a profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import Action, audit_record
from core.access import hr_required
from core.csvsafe import csv_download
from core.forms import add_service_errors

from . import selectors, services
from .exporting import write_employees_csv
from .filters import PersonFilter
from .forms import (
    DepartmentForm,
    EmployeeUploadForm,
    PersonEraseForm,
    PersonForm,
    ProfileForm,
    SkillForm,
    SkillMergeForm,
)
from .importing.reading import ImportRejected, employees_read
from .importing.services import employee_import_confirm
from .models import Department, EmailChange, EmployeeImport, Skill, User

hr_only = hr_required

PAGE_SIZE = 25


# --- people ------------------------------------------------------------------------


@hr_only
def person_list(request):
    people = User.objects.select_related("department", "manager").order_by(
        "last_name", "first_name", "pk"
    )
    person_filter = PersonFilter(request.GET, queryset=people)
    page = Paginator(person_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "filter": person_filter,
            "page": page,
            "query": query.urlencode(),
            "email_changes": selectors.open_email_changes(),
        },
    )


def _get_person(code) -> User:
    return get_object_or_404(
        User.objects.select_related("department", "manager__department").prefetch_related(
            "skills", "languages", "groups"
        ),
        code=code,
    )


@hr_only
def person_detail(request, code):
    person = _get_person(code)
    audit_record(actor=request.user, action=Action.PERSON_VIEWED, target=person, request=request)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "reports": selectors.direct_reports(person),
            "is_hr": person.is_hr,
            "email_change": selectors.open_email_change(person),
            "erased": services.is_erased(person),
        },
    )


@hr_only
def person_create(request):
    return _person_form(request, User())


@hr_only
def person_edit(request, code):
    return _person_form(request, _get_person(code))


def _email_change_message(change: EmailChange) -> str:
    if change.status == EmailChange.Status.AWAITING_APPROVAL:
        return _(
            "The new email %(email)s waits for another HR admin's approval, because "
            "%(person)s is an HR admin. Until it is confirmed they keep signing in with "
            "their current email."
        ) % {"email": change.new_email, "person": change.person}
    return _(
        "We sent a confirmation link to %(email)s. The new email takes effect when "
        "%(person)s opens it; until then they keep signing in with their current email, "
        "which we have told about the change."
    ) % {"email": change.new_email, "person": change.person}


def _person_form(request, person: User):
    creating = person.pk is None
    started = timezone.now()
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_save(
                person=form.save(commit=False),
                skills=form.cleaned_data["skills"],
                languages=form.cleaned_data["languages"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if creating:
                messages.success(request, _("%s was added to the directory.") % person)
            else:
                messages.success(request, _("Changes to %s saved.") % person)
            change = selectors.open_email_change(person)
            if change and change.created_at >= started:
                messages.info(request, _email_change_message(change))
            return redirect(person)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "creating": creating}
    )


@hr_only
def hr_role_change(request, code, action: str):
    person = _get_person(code)
    if request.method == "POST":
        try:
            if action == "grant":
                changed = services.hr_role_grant(person=person, by=request.user, request=request)
                text = _("%s is now an HR admin.") if changed else _("%s was already an HR admin.")
            else:
                changed = services.hr_role_revoke(person=person, by=request.user, request=request)
                text = (
                    _("%s is no longer an HR admin.") if changed else _("%s was not an HR admin.")
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, text % person)
        return redirect(person)
    return render(request, "people/hr_role_confirm.html", {"person": person, "action": action})


# --- data subject rights -----------------------------------------------------------


@hr_only
def personal_data_export(request, code):
    person = _get_person(code)
    content = services.personal_data_export(person=person, by=request.user, request=request)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.code}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@hr_only
def person_erase(request, code):
    person = _get_person(code)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = str(person)
        try:
            services.person_erase(
                person=person,
                by=request.user,
                confirm_email=form.cleaned_data["confirm_email"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%s has been erased. Their pairs and answers still count, anonymously.") % name,
            )
            return redirect("people:person_list")
    return render(
        request,
        "people/person_erase.html",
        {"person": person, "form": form, "erased": services.is_erased(person)},
    )


# --- email changes -----------------------------------------------------------------

EMAIL_CHANGE_DECISIONS = {
    "approve": services.email_change_approve,
    "reject": services.email_change_reject,
    "cancel": services.email_change_cancel,
    "resend": services.email_change_resend,
}


@hr_only
def email_change_decide(request, code, decision: str):
    change = get_object_or_404(
        EmailChange.objects.select_related("person", "requested_by").filter(
            status__in=EmailChange.OPEN
        ),
        code=code,
    )
    own_request = change.requested_by_id == request.user.pk
    if decision in ("approve", "reject") and own_request:
        raise PermissionDenied(_("You asked for this change: another HR admin has to decide."))
    if request.method == "POST":
        try:
            EMAIL_CHANGE_DECISIONS[decision](change=change, by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, EMAIL_CHANGE_DONE[decision]() % {"email": change.new_email})
        return redirect(change.person)
    return render(
        request, "people/email_change_decide.html", {"change": change, "decision": decision}
    )


EMAIL_CHANGE_DONE = {
    "approve": lambda: _("Approved: we sent a confirmation link to %(email)s."),
    "reject": lambda: _("Rejected: the email stays as it was, and %(email)s was not used."),
    "cancel": lambda: _("Cancelled: the email stays as it was, and %(email)s was not used."),
    "resend": lambda: _("We sent a new confirmation link to %(email)s."),
}


@login_not_required
def email_change_confirm(request, token):
    change = services.email_change_from_token(token)
    if change is None:
        return render(request, "people/email_change_confirm.html", {"change": None}, status=400)
    if request.method == "POST":
        try:
            services.email_change_confirm(change=change, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(
                request, "people/email_change_confirm.html", {"change": change}, status=400
            )
        messages.success(
            request,
            _("Your sign-in email is now %(email)s. Use it the next time you sign in.")
            % {"email": change.new_email},
        )
        if request.user.is_authenticated:
            return redirect("home")
        return redirect("account_login")
    return render(request, "people/email_change_confirm.html", {"change": change})


# --- departments -------------------------------------------------------------------


@hr_only
def department_list(request):
    return render(request, "people/department_list.html", {"tree": selectors.department_tree()})


@hr_only
def department_create(request):
    return _department_form(request, Department())


@hr_only
def department_edit(request, code):
    return _department_form(request, get_object_or_404(Department, code=code))


def _department_form(request, department: Department):
    creating = department.pk is None
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_save(
                department=department,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Department “%s” saved.") % department)
            return redirect("people:department_list")
    return render(
        request,
        "people/department_form.html",
        {"form": form, "department": department, "creating": creating},
    )


@hr_only
def department_delete(request, code):
    department = get_object_or_404(Department, code=code)
    if request.method == "POST":
        try:
            services.department_delete(department=department)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Department “%s” deleted.") % department)
        return redirect("people:department_list")
    return render(request, "people/department_confirm_delete.html", {"department": department})


# --- skills ------------------------------------------------------------------------


@hr_only
def skill_list(request):
    skills = Skill.objects.annotate(people_count=Count("people")).order_by("name")
    q = request.GET.get("q", "").strip()
    if q:
        skills = skills.filter(name__icontains=q)
    page = Paginator(skills, 50).get_page(request.GET.get("page"))
    return render(request, "people/skill_list.html", {"page": page, "q": q})


@hr_only
def skill_rename(request, code):
    skill = get_object_or_404(Skill, code=code)
    form = SkillForm(request.POST or None, initial={"name": skill.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_rename(skill=skill, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Skill renamed to “%s”.") % skill)
            return redirect("people:skill_list")
    return render(request, "people/skill_rename.html", {"form": form, "skill": skill})


@hr_only
def skill_merge(request, code):
    skill = get_object_or_404(Skill.objects.annotate(people_count=Count("people")), code=code)
    form = SkillMergeForm(request.POST or None, source=skill)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            services.skill_merge(source=skill, into=into)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(source)s” merged into “%(into)s”.") % {"source": skill, "into": into}
            )
            return redirect("people:skill_list")
    return render(request, "people/skill_merge.html", {"form": form, "skill": skill})


# --- import and export -------------------------------------------------------------


@hr_only
def import_upload(request):
    form = EmployeeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = EmployeeImport.objects.create(
            uploaded_by=request.user, filename=upload.name[:255], content=upload.read()
        )
        return redirect("people:import_preview", code=batch.code)
    recent = EmployeeImport.objects.select_related("uploaded_by").filter(applied_at__isnull=False)[
        :5
    ]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


def _get_pending_import(request, code) -> EmployeeImport:
    batch = get_object_or_404(EmployeeImport, code=code, uploaded_by=request.user)
    if batch.applied_at:
        raise Http404
    return batch


@hr_only
def import_preview(request, code):
    batch = _get_pending_import(request, code)
    plan = employees_read(bytes(batch.content))
    return render(request, "people/import_preview.html", {"batch": batch, "plan": plan})


@hr_only
@require_POST
def import_confirm(request, code):
    batch = _get_pending_import(request, code)
    try:
        plan = employee_import_confirm(batch=batch, by=request.user, request=request)
    except EmployeeImport.DoesNotExist:
        raise Http404 from None
    except ImportRejected as exc:
        # The directory changed since the preview and the file no longer fits it.
        messages.error(
            request, _("The file no longer fits the directory. Review the problems below.")
        )
        return render(
            request, "people/import_preview.html", {"batch": batch, "plan": exc.plan}, status=400
        )
    messages.success(
        request,
        _("Import done: %(created)d people added, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
        },
    )
    return redirect("people:person_list")


@hr_only
def export(request):
    response = csv_download("employees")
    write_employees_csv(response)
    audit_record(actor=request.user, action=Action.DIRECTORY_EXPORTED, request=request)
    return response


# --- everyone ----------------------------------------------------------------------


def my_profile(request):
    person = _get_person(request.user.code)
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("people:my_profile")
    return render(request, "people/my_profile.html", {"person": person, "form": form})


def my_team(request):
    if not request.user.is_manager:
        raise Http404
    return render(
        request, "people/my_team.html", {"reports": selectors.direct_reports(request.user)}
    )
