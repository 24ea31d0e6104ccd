from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        # The indicator registry, the survey-based indicators and the periodic producers.
        from programs.views import page_sections

        from . import indicators, surveys  # noqa: F401
        from .stories import program_page_section

        if program_page_section not in page_sections:
            page_sections.append(program_page_section)
