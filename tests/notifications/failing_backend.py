from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down: the outer edge we may fake."""

    def send_messages(self, email_messages):
        raise ConnectionError("SMTP is down")
