from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goals and action plans")

    def ready(self) -> None:
        from people.hooks import personal_data, personal_data_erase

        from .plans.selectors import personal_data as section
        from .plans.services import personal_data_erase as erase

        personal_data.register(section)
        personal_data_erase.register(erase)
        from matching.hooks import mentorship_ended, mentorship_started, pair_sections
        from notifications.hooks import periodic_producers
        from programs.hooks import Tab, program_closing, program_personal_data_expire, program_tabs

        from .closing import reminders as closing_reminders
        from .closing.services import program_closing_effect
        from .meetings import reminders as meeting_reminders
        from .meetings.services import cancel_future_meetings
        from .plans import reminders as plan_reminders
        from .plans.services import personal_data_expiry
        from .sections import pair_section

        mentorship_started.register(_open_agreement)
        mentorship_ended.register(cancel_future_meetings)
        pair_sections.register(pair_section)
        program_closing.register(program_closing_effect)
        program_personal_data_expire.register(personal_data_expiry)
        periodic_producers.register(
            meeting_reminders.meeting_reminders, key="goals.meeting_reminders"
        )
        periodic_producers.register(plan_reminders.goals_missing, key="goals.goals_missing")
        periodic_producers.register(plan_reminders.step_reminders, key="goals.step_reminders")
        periodic_producers.register(meeting_reminders.meeting_gap, key="goals.meeting_gap")
        periodic_producers.register(
            closing_reminders.deadline_reminders, key="goals.deadline_reminders"
        )
        program_tabs.register(
            Tab("goals", _("Agreements and goals"), "goals:program_settings", 100)
        )


def _open_agreement(mentorship) -> None:
    from .agreements.services import agreement_open

    agreement_open(mentorship=mentorship)
