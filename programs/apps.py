from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from notifications.hooks import periodic_producers
        from notifications.services import once_a_day
        from people.hooks import personal_data, personal_data_erase

        from .applications.selectors import personal_data as section
        from .applications.services import personal_data_erase as erase
        from .applications.services import personal_data_expiry
        from .hooks import program_personal_data_expire, program_tabs

        # Celery's autodiscovery only looks for programs.tasks: this registers the features' tasks.
        from .outreach import tasks  # noqa: F401
        from .retention.services import programs_personal_data_expire
        from .sessions import reminders
        from .tabs import TABS

        personal_data.register(section)
        personal_data_erase.register(erase)
        program_personal_data_expire.register(personal_data_expiry)
        periodic_producers.register(reminders.session_reminders, key="programs.session_reminders")
        # The retention rule for closed programs' personal texts, once a day like the others.
        expire = once_a_day("program_personal_data", programs_personal_data_expire)
        periodic_producers.register(expire, key=expire.key)
        for tab in TABS:
            program_tabs.register(tab)
