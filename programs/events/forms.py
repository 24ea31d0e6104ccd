from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeTokenMixin

from ..models import Event, Registration


class EventForm(OneTimeTokenMixin, forms.ModelForm):
    """HR's form for one event. Each kind names its model (and any field it adds) in its
    `Meta`, and says in `description_help` what its description is for."""

    video_url = Event._meta.get_field("video_url").formfield(assume_scheme="https")
    description_help = ""

    class Meta:
        fields = [
            "title",
            "starts_at",
            "duration_minutes",
            "place",
            "video_url",
            "capacity",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["starts_at"].help_text = _("Time zone: %(zone)s.") % {
            "zone": settings.TIME_ZONE
        }
        self.fields["place"].help_text = _("Room and building. Leave empty for an online session.")
        self.fields["video_url"].help_text = _(
            "Link to the video call. Leave empty for an in-person session."
        )
        self.fields["capacity"].help_text = _(
            "When the places are taken, people join a waiting list and get a place, in "
            "order, when someone leaves."
        )
        self.fields["description"].help_text = self.description_help
        self.fields["duration_minutes"].widget.attrs["min"] = 10
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_place(self) -> str:
        return " ".join(self.cleaned_data["place"].split())

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("place")
            and not cleaned.get("video_url")
            and "video_url" not in (self.errors)
        ):
            self.add_error("place", _("Give a place, a video link or both."))
        return cleaned


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Registration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = registrations
        field.label_from_instance = lambda registration: (
            f"{registration.person} ({registration.person.email})"
        )
        self.people = list(registrations)
        if not self.is_bound:
            self.initial["attended"] = [r.pk for r in self.people if r.attended]
