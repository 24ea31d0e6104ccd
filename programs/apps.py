from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from people.hooks import personal_data, personal_data_erase

        from .applications.selectors import personal_data as section
        from .applications.services import personal_data_erase as erase

        personal_data.register(section)
        personal_data_erase.register(erase)
        from notifications.hooks import periodic_producers

        from .hooks import program_tabs

        # Celery's autodiscovery only looks for programs.tasks: this registers the features' tasks.
        from .outreach import tasks  # noqa: F401
        from .sessions import reminders
        from .tabs import TABS

        periodic_producers.register(reminders.session_reminders, key="programs.session_reminders")
        for tab in TABS:
            program_tabs.register(tab)
