from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goals and action plans")

    def ready(self) -> None:
        # Registers the periodic producers and the program closing hook, opens an agreement
        # when a pair starts, and adds the plan's summary to the pair's page.
        from matching.services import mentorship_ended, mentorship_started
        from matching.views import pair_sections

        from . import closing, reminders  # noqa: F401
        from .sections import pair_section

        mentorship_started.connect(_open_agreement, dispatch_uid="goals.open_agreement")
        mentorship_ended.connect(_cancel_meetings, dispatch_uid="goals.cancel_meetings")
        if pair_section not in pair_sections:
            pair_sections.append(pair_section)


def _open_agreement(sender, mentorship, **kwargs) -> None:
    from .agreements import agreement_open

    agreement_open(mentorship=mentorship)


def _cancel_meetings(sender, mentorship, **kwargs) -> None:
    from .meetings import cancel_future_meetings

    cancel_future_meetings(mentorship)
