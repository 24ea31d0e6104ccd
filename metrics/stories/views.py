"""Success stories: everyone reads the published ones; the pair writes and consents; HR
edits and publishes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import AlreadySubmitted, add_service_errors, submit_once
from programs.access import get_program_for_hr, manage_context

from ..models import SuccessStory
from . import selectors, services
from .forms import StoryForm, VersionForm, WriteForPairForm

PAGE_SIZE = 12


def stories(request):
    page = Paginator(selectors.published_stories().order_by("-published_at", "-pk"), PAGE_SIZE)
    return render(
        request,
        "metrics/stories/list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "mine": list(selectors.stories_of_user(request.user)[:20]),
            "pairs": list(selectors.pairs_to_write_about(request.user)[:20]),
        },
    )


def story_new(request, code):
    pair = selectors.get_pair_for_story(request.user, code)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = submit_once(
                form,
                lambda: services.story_create(mentorship=pair, by=request.user, **form.content()),
                then=lambda story: reverse("metrics:story_consent", args=[story.code]),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Story saved. It is published only once both of you consent to it."),
            )
            return redirect("metrics:story_consent", code=story.code)
    return render(request, "metrics/stories/form.html", {"form": form, "pair": pair})


def story_edit(request, code):
    story = selectors.get_story_for_user(request.user, code)
    if not selectors.can_edit(story, request.user):
        raise PermissionDenied
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_update(
                story=story,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.content(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Story saved. Both members are asked to consent again."))
            return redirect("metrics:story_consent", code=story.code)
    return render(
        request,
        "metrics/stories/form.html",
        {"form": form, "pair": story.mentorship, "story": story},
    )


def story_consent(request, code):
    """The story as its pair and HR see it, with each member's consent and the actions."""
    story = selectors.get_story_for_user(request.user, code)
    role = selectors.member_role(story, request.user)
    if request.method == "POST" and role:
        form = VersionForm(request.POST)
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.story_withdraw(story=story, by=request.user)
                messages.success(request, _("You withdrew your consent: the story is not shown."))
            elif form.is_valid():
                services.story_consent(
                    story=story, by=request.user, version=form.cleaned_data["version"]
                )
                messages.success(request, _("Thank you: you consented to publishing this story."))
            else:
                messages.error(request, _("Read the story again, then decide."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("metrics:story_consent", code=story.code)
    return render(
        request,
        "metrics/stories/detail.html",
        {
            "story": story,
            "role": role,
            "my_consent": getattr(story, f"{role}_consent_at") if role else None,
            "can_edit": selectors.can_edit(story, request.user),
            "is_hr": request.user.is_hr,
        },
    )


def _hr_action(request, code, action: str):
    story = selectors.get_story_for_user(request.user, code)
    form = VersionForm(request.POST or None, initial={"version": story.version})
    if request.method == "POST" and form.is_valid():
        try:
            if action == "publish":
                services.story_publish(
                    story=story, by=request.user, version=form.cleaned_data["version"]
                )
                messages.success(request, _("Story published."))
            else:
                services.story_unpublish(story=story, by=request.user)
                messages.success(request, _("Story taken down. It can be published again."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("metrics:stories_manage", slug=story.program.slug)
    return render(
        request,
        "metrics/stories/confirm.html",
        manage_context(story.program, "stories", story=story, form=form, action=action),
    )


@hr_required
def story_publish(request, code):
    return _hr_action(request, code, "publish")


@hr_required
def story_unpublish(request, code):
    return _hr_action(request, code, "unpublish")


@hr_required
def stories_manage(request, slug):
    program = get_program_for_hr(slug)
    pairs = program.mentorships.filter(status__in=selectors.WRITABLE_PAIRS).select_related(
        "mentor", "mentee"
    )
    chosen = request.GET if "pair" in request.GET else None
    write_form = WriteForPairForm(chosen, pairs=pairs.order_by("mentor__first_name", "pk"))
    if chosen and write_form.is_valid():
        return redirect("metrics:story_new", code=write_form.cleaned_data["pair"].code)
    found = (
        SuccessStory.objects.filter(program=program)
        .select_related(*selectors.RELATED)
        .annotate(
            rank=Case(
                When(status=SuccessStory.Status.READY, then=Value(0)),
                When(status=SuccessStory.Status.AWAITING_CONSENT, then=Value(1)),
                When(status=SuccessStory.Status.PUBLISHED, then=Value(2)),
                default=Value(3),
            )
        )
        .order_by("rank", "-updated_at", "-pk")
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "metrics/stories/manage.html",
        manage_context(program, "stories", page=page, write_form=write_form),
    )


# --- the section of the program page (registered in MetricsConfig.ready()) ---------------


def program_page_section(request, program) -> dict | None:
    """The program page shows its published stories: they help recruit the next cohort."""
    stories = list(selectors.stories_for_program(program)[:4])
    if not stories:
        return None
    return {"template": "metrics/stories/on_program.html", "stories": stories}
