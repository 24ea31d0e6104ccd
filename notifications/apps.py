from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from people.hooks import hr_role_granted, personal_data, personal_data_erase

        from .hooks import periodic_producers
        from .services import personal_data as section
        from .services import personal_data_erase as erase
        from .services import retention_producers

        hr_role_granted.register(_tell_new_hr_admin)
        personal_data.register(section)
        personal_data_erase.register(erase)
        for producer in retention_producers():
            periodic_producers.register(producer, key=producer.key)
        periodic_producers.register(_forget_form_tokens, key="core.submitted_forms_purge")


def _forget_form_tokens(now) -> None:
    from core.services import submitted_forms_purge

    submitted_forms_purge(now=now)


def _tell_new_hr_admin(*, person, by, grant_id: int) -> None:
    from .services import notify

    notify(
        kind="people.hr_role_granted",
        recipient=person,
        target=person,
        occasion=f"granted-{grant_id}",
        context={"by": by},
        url="/",
    )
