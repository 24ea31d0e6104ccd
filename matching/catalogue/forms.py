"""Forms of the mentor catalogue: filters and requests (mentees), replies and pauses (mentors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import text_field
from .selectors import CatalogueFilters, CatalogueOptions

MESSAGE_MAX_LENGTH = 2000


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters, shown unbound: choices come from the mentors the mentee may
    ask, and the query string is read by `filters_from_query`."""

    skills = forms.TypedMultipleChoiceField(
        label=_("Skills they share"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[("", _("Any")), ("same", _("My area")), ("other", _("Other areas"))],
    )
    location = forms.ChoiceField(label=_("Location"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    availability = forms.ChoiceField(label=_("Availability"), required=False)

    def __init__(self, *args, options: CatalogueOptions, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["skills"].choices = [(str(pk), name) for pk, name in options.skills]
        self.fields["department"].choices = anything + [
            (str(pk), name) for pk, name in options.departments
        ]
        self.fields["location"].choices = anything + [(value, value) for value in options.locations]
        self.fields["language"].choices = anything + list(options.languages)
        self.fields["availability"].choices = anything + [
            (value, value) for value in options.availability
        ]
        if not options.availability:
            del self.fields["availability"]


def _ints(values) -> frozenset[int]:
    return frozenset(int(value) for value in values if value.strip().isdigit())


def filters_from_query(data) -> CatalogueFilters:
    """The filters in a catalogue query string, read leniently: what no longer exists (a skill
    nobody offers now, a department with no mentor left) simply matches no one."""
    department = _ints([data.get("department") or ""])
    return CatalogueFilters(
        skills=_ints(data.getlist("skills")),
        department=next(iter(department), None),
        location=(data.get("location") or "").strip(),
        language=(data.get("language") or "").strip(),
        availability=(data.get("availability") or "").strip(),
        area=area if (area := (data.get("area") or "").strip()) in ("same", "other") else "",
    )


def filters_initial(filters: CatalogueFilters) -> dict:
    """The filters as the initial values of an unbound `CatalogueFilterForm`."""
    return {
        "skills": [str(pk) for pk in sorted(filters.skills)],
        "department": str(filters.department) if filters.department else "",
        "location": filters.location,
        "language": filters.language,
        "availability": filters.availability,
        "area": filters.area,
    }


class MentorRequestForm(forms.Form):
    """The mentee ranks the mentors they chose and writes them a message."""

    message = forms.CharField(
        label=_("Message to the mentors"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Every mentor you ask reads it: say what you hope to learn and why you chose them."
        ),
    )

    def __init__(self, *args, mentors, **kwargs):
        """`mentors`: catalogue entries in the order the mentee picked them."""
        super().__init__(*args, **kwargs)
        self.mentors = list(mentors)
        ranks = [(str(n), str(n)) for n in range(1, len(self.mentors) + 1)]
        for position, entry in enumerate(self.mentors, start=1):
            self.fields[self.rank_field(entry)] = forms.TypedChoiceField(
                label=_("Preference for %(name)s") % {"name": entry.person.get_full_name()},
                choices=ranks,
                coerce=int,
                initial=str(position),
            )

    @staticmethod
    def rank_field(entry) -> str:
        return f"rank_{entry.code}"

    def rank_rows(self):
        """(catalogue entry, its rank field) for the template."""
        return [(entry, self[self.rank_field(entry)]) for entry in self.mentors]

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()

    def clean(self):
        cleaned = super().clean()
        ranks = [cleaned.get(self.rank_field(entry)) for entry in self.mentors]
        if None not in ranks and len(set(ranks)) != len(ranks):
            raise forms.ValidationError(_("Give each mentor a different preference."))
        return cleaned

    def ordered_mentors(self) -> list:
        """The chosen people, first preference first."""
        ranked = sorted(self.mentors, key=lambda entry: self.cleaned_data[self.rank_field(entry)])
        return [entry.person for entry in ranked]


class RequestDeclineForm(forms.Form):
    reason = text_field(
        _("Why do you decline?"),
        _("The mentee reads this. A kind, honest line helps them choose another mentor."),
    )


class AvailabilityForm(forms.Form):
    PAUSE = "pause"
    RESUME = "resume"

    action = forms.ChoiceField(
        choices=[(PAUSE, _("Pause new requests")), (RESUME, _("Take new requests again"))]
    )

    @property
    def paused(self) -> bool:
        return self.cleaned_data["action"] == self.PAUSE
