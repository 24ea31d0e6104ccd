from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        from people.hooks import personal_data, personal_data_erase

        from .feedback.selectors import personal_data as section
        from .feedback.services import personal_data_erase as erase

        personal_data.register(section)
        personal_data_erase.register(erase)
        from notifications.hooks import periodic_producers
        from programs.hooks import (
            Tab,
            program_page_sections,
            program_personal_data_expire,
            program_tabs,
        )

        from .dashboards import reminders as dashboards
        from .feedback.services import personal_data_expiry
        from .stories.views import program_page_section
        from .surveys import reminders as surveys

        program_page_sections.register(program_page_section)
        program_personal_data_expire.register(personal_data_expiry)
        periodic_producers.register(surveys.close_survey_requests, key="metrics.survey_close")
        periodic_producers.register(surveys.send_survey_requests, key="metrics.survey_requests")
        periodic_producers.register(surveys.remind_survey_requests, key="metrics.survey_reminders")
        periodic_producers.register(dashboards.record_snapshots, key="metrics.indicator_snapshots")
        for tab in (
            Tab("surveys", _("Surveys"), "metrics:surveys", 110),
            Tab("feedback", _("Feedback"), "metrics:feedback_triage", 120),
            Tab("stories", _("Success stories"), "metrics:stories_manage", 130),
            Tab("results", _("Results"), "metrics:program_dashboard", 140),
        ):
            program_tabs.register(tab)
