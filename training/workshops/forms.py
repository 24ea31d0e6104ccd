from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from programs.sessions.forms import InfoSessionForm

from ..models import Module, Workshop


class WorkshopForm(InfoSessionForm):
    """The information session form, with what a workshop adds: its audience and module."""

    class Meta(InfoSessionForm.Meta):
        model = Workshop
        fields = [*InfoSessionForm.Meta.fields, "audience", "module"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = (
            Module.objects.current()
            .filter(Q(program__isnull=True) | Q(program=program))
            .order_by("title")
        )
        self.fields["description"].help_text = _("What people will practise and how to prepare.")
