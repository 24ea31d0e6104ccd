from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is closed unless SIGNUP_EMAIL_DOMAINS lists the company's domains."""

    def is_open_for_signup(self, request) -> bool:
        return bool(settings.SIGNUP_EMAIL_DOMAINS)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        allowed = settings.SIGNUP_EMAIL_DOMAINS
        if allowed and _domain(email) not in allowed:
            raise forms.ValidationError(
                _("Sign-up is only open to addresses at %(domains)s.")
                % {"domains": ", ".join(allowed)}
            )
        return email
