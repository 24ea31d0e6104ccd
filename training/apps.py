from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # Matching asks this app whether required training is done (matching never imports
        # training), and the periodic producers (due and workshop reminders) register here.
        from matching import services as matching_services

        from . import reminders  # noqa: F401
        from .progress import required_training_problems

        if required_training_problems not in matching_services.training_gates:
            matching_services.training_gates.append(required_training_problems)
