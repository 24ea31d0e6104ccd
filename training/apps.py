from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from people.hooks import personal_data

        from .modules.selectors import personal_data as section

        personal_data.register(section)
        from matching.hooks import matching_gates
        from notifications.hooks import periodic_producers
        from programs.hooks import Tab, program_tabs

        from .requirements.reminders import due_reminders
        from .requirements.selectors import required_training_problems
        from .workshops.reminders import workshop_reminders

        matching_gates.register(required_training_problems)
        periodic_producers.register(due_reminders, key="training.due_reminders")
        periodic_producers.register(workshop_reminders, key="training.workshop_reminders")
        program_tabs.register(Tab("training", _("Training"), "training:program_requirements", 90))
