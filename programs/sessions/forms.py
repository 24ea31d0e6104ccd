from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..events.forms import EventForm
from ..models import InfoSession


class InfoSessionForm(EventForm):
    description_help = _("What people will learn and how to prepare.")

    class Meta(EventForm.Meta):
        model = InfoSession
