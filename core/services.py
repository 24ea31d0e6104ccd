"""The writes of the foundation: one-time tokens of create forms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import SubmittedForm

T = TypeVar("T")


class AlreadySubmitted(Exception):
    """The same form was sent before; `url` is where its result is."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url

    def response(self, request) -> HttpResponseRedirect:
        messages.info(request, _("This form was sent twice; it was saved once."))
        return HttpResponseRedirect(self.url or request.path)


def form_submit_once(
    *, token: uuid.UUID | None, create: Callable[[], T], then: Callable[[T], str]
) -> T:
    """Run `create` once per `token`; `then(result)` is the page that shows the result.

    The token is recorded in the transaction that creates the object, so a second request
    with the same token waits on the unique index until the first commits, then raises
    `AlreadySubmitted` with the first one's page. If the first fails (a ValidationError),
    its transaction and token roll back and the form can be sent again. No token (a page
    from before tokens): `create` runs unchecked.
    """
    if token is None:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                sent = SubmittedForm.objects.create(token=token)
        except IntegrityError:
            url = SubmittedForm.objects.filter(token=token).values_list("url", flat=True).first()
            raise AlreadySubmitted(url or "") from None
        result = create()
        SubmittedForm.objects.filter(pk=sent.pk).update(url=then(result)[:500])
    return result


def submitted_forms_purge(*, now: datetime) -> int:
    """Forget tokens after a day: a form sent again later is a new form."""
    return SubmittedForm.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[0]
