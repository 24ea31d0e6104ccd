"""Forms of stage 5. They clean and normalise input; the services in this app persist it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import (
    NOTES_MAX,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    ActionStep,
    Goal,
    GoalRating,
    Meeting,
    ProgramSettings,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(forms.Form):
    """No fields: a confirmation step, whose service errors show above its button."""


class VersionForm(forms.Form):
    """Only the version the person read: signing, confirming on an object that may change."""

    version = version_field()


class ProgramSettingsForm(forms.ModelForm):
    class Meta:
        model = ProgramSettings
        fields = ["goals_due_days", "ground_rules", "confidentiality"]
        widgets = {
            "ground_rules": forms.Textarea(attrs={"rows": 8}),
            "confidentiality": forms.Textarea(attrs={"rows": 4}),
        }


class MeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    video_url = Meeting._meta.get_field("video_url").formfield(assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["starts_at", "duration_minutes", "mode", "place", "video_url", "agenda"]
        widgets = {
            "starts_at": DATETIME,
            "mode": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("Time zone: %(zone)s.") % {
            "zone": settings.TIME_ZONE
        }
        self.fields["place"].help_text = _("For a meeting in person: room, building or café.")
        self.fields["video_url"].help_text = _("For a video call: the link to join.")
        self.fields["agenda"].help_text = _(
            "What you want to talk about. Both of you see it. Markdown: **bold**, lists."
        )
        self.fields["duration_minutes"].widget.attrs.update(min=10, max=480, step=5)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_place(self) -> str:
        return " ".join(self.cleaned_data["place"].split())


class MeetingLogForm(forms.Form):
    HELD = "held"
    MISSED = "missed"

    outcome = forms.ChoiceField(
        label=_("Did the meeting take place?"),
        widget=forms.RadioSelect,
        choices=[(HELD, _("Yes, we met")), (MISSED, _("No, it was missed"))],
    )
    held_minutes = forms.IntegerField(
        label=_("How long it lasted (minutes)"), required=False, min_value=1, max_value=600
    )
    shared_notes = forms.CharField(
        label=_("Shared notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Both of you read these; nobody else does. Markdown: **bold**, lists."),
    )
    private_note = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you will ever see these."),
    )
    version = version_field()

    @property
    def held(self) -> bool:
        return self.cleaned_data.get("outcome") == self.HELD


class NextStepForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    title = forms.CharField(label=_("Next step"), max_length=200, required=False)
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=ActionStep.Owner.choices, required=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals

    def clean(self):
        cleaned = super().clean()
        cleaned["title"] = " ".join((cleaned.get("title") or "").split())
        if cleaned["title"]:
            for name in ("goal", "owner", "due_on"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a next step."))
        return cleaned


NextStepFormSet = forms.formset_factory(NextStepForm, extra=3, max_num=10, absolute_max=10)


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only you will ever see these."),
    )


class ClosingForm(forms.Form):
    reflection = forms.CharField(
        label=_("Final reflection"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you take away, what worked, what you would do differently."),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.title,
                widget=forms.RadioSelect,
                choices=GoalRating.Rating.choices,
            )
        self.order_fields([f"goal_{g.pk}" for g in self.goals] + ["reflection"])

    def ratings(self) -> dict[int, str]:
        return {g.pk: self.cleaned_data.get(f"goal_{g.pk}") for g in self.goals}


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Why do you need more time?"),
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("HR reads this and decides."),
    )


class ExtensionDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve the new deadline")), (DECLINE, _("Decline"))],
    )
    comment = forms.CharField(
        label=_("Comment for the pair"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVE
