from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from people.hooks import personal_data, personal_data_erase

        from .pairs.selectors import personal_data as section
        from .pairs.services import personal_data_erase as erase

        personal_data.register(section)
        personal_data_erase.register(erase)
        from people.hooks import person_deactivated

        from .catalogue.services import person_deactivated as release_requests

        person_deactivated.register(release_requests)
        from notifications.hooks import periodic_producers
        from programs.hooks import (
            Tab,
            application_actions,
            program_closing,
            program_personal_data_expire,
            program_tabs,
        )

        from .catalogue import reminders as catalogue_reminders
        from .catalogue import views as catalogue_views
        from .pairs import services as pairs_services
        from .proposals import reminders as proposals_reminders

        application_actions.register(catalogue_views.application_actions)
        program_closing.register(pairs_services.program_closing_effect)
        program_personal_data_expire.register(pairs_services.personal_data_expiry)
        periodic_producers.register(
            catalogue_reminders.expire_requests, key="matching.requests_expire"
        )
        periodic_producers.register(
            proposals_reminders.approval_reminders, key="matching.approval_reminders"
        )
        program_tabs.register(
            Tab("proposals", _("Proposed pairs"), "matching:proposals", 70, "managed")
        )
        program_tabs.register(Tab("pairs", _("Pairs"), "matching:hr_pairs", 80))
        program_tabs.register(
            Tab(
                "catalogue",
                _("Requests and unmatched"),
                "matching:hr_catalogue",
                75,
                "mentee_choice",
            )
        )
        from programs.hooks import status_change_warnings

        from .catalogue.services import unmatched_warnings

        status_change_warnings.register(unmatched_warnings)
