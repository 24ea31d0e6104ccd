from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from people.hooks import personal_data, personal_data_erase

        from .services import personal_data as section
        from .services import personal_data_erase as erase

        personal_data.register(section)
        personal_data_erase.register(erase)
        from people.hooks import hr_role_granted

        hr_role_granted.register(_tell_new_hr_admin)


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
