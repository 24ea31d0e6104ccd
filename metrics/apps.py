from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        # The indicator registry, the survey-based indicators and the periodic producers.
        from . import indicators, surveys  # noqa: F401
