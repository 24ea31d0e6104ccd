"""Forms of meetings. They clean and normalise input; the services persist it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeTokenMixin

from ..forms import DATE, version_field
from ..models import NOTES_MAX, ActionStep, Goal, Meeting

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(OneTimeTokenMixin, forms.ModelForm):
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
