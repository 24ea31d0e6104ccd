from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.events.forms import EventForm

from ..models import Module, Workshop


class WorkshopForm(EventForm):
    """The events' form, with what a workshop adds: its audience and module."""

    description_help = _("What people will practise and how to prepare.")

    class Meta(EventForm.Meta):
        model = Workshop
        fields = [*EventForm.Meta.fields, "audience", "module"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = (
            Module.objects.current()
            .filter(Q(program__isnull=True) | Q(program=self.program))
            .order_by("title")
        )
