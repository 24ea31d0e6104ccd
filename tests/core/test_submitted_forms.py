from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import SubmittedForm
from notifications.services import dispatch_due


@pytest.mark.django_db
def test_the_periodic_job_forgets_form_tokens_after_a_day():
    old, recent = SubmittedForm.objects.bulk_create(
        [SubmittedForm(token=uuid.uuid4()), SubmittedForm(token=uuid.uuid4())]
    )
    SubmittedForm.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    dispatch_due()

    assert list(SubmittedForm.objects.all()) == [recent]
