"""Rendering and sending of emails: each is a trio of templates, rendered in the reader's language.

`templates/<app>/email/<name>_subject.txt`, `<name>.txt` and `<name>.html`, where the
kind is `<app>.<name>`. The HTML body extends `email/base.html`.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def template_names(kind: str) -> tuple[str, str, str]:
    app, name = kind.split(".", 1)
    base = f"{app}/email/{name}"
    return f"{base}_subject.txt", f"{base}.txt", f"{base}.html"


def render_email(kind: str, context: dict, *, language: str) -> RenderedEmail:
    subject_t, text_t, html_t = template_names(kind)
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(subject_t, context).split())
        text = render_to_string(text_t, context).strip() + "\n"
        html = render_to_string(html_t, {**context, "subject": subject})
    return RenderedEmail(subject=subject[:255], text=text, html=html)


def build_message(
    email: RenderedEmail,
    *,
    to: str,
    attachments: list[dict] | None = None,
    message_id: str = "",
    connection=None,
) -> EmailMultiAlternatives:
    """The message for `email`; a stable `message_id` lets a resent copy be recognised."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id} if message_id else None,
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in attachments or []:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def message_id_for(key: str) -> str:
    """A Message-ID derived from `key`, in the sender's domain: the same on every retry."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


def send_rendered(email: RenderedEmail, *, to: str, attachments: list[dict] | None = None) -> None:
    build_message(email, to=to, attachments=attachments).send()
