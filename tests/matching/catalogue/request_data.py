"""Requests in tests: people enrolled in a program in matching, and the requests they send."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.catalogue import services
from notifications.models import Notification
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    return ProgramFactory(status="matching", **kwargs)


def _enrol(program, person, role, **kwargs):
    ApplicationFactory(program=program, person=person, role=role, status="approved", **kwargs)
    return person


def _mentor(program, **kwargs):
    capacity = kwargs.pop("capacity", None)
    return _enrol(program, UserFactory(**kwargs), "mentor", capacity=capacity)


def _mentee(program, **kwargs):
    return _enrol(program, UserFactory(**kwargs), "mentee")


def _send(program, mentee, *mentors, message="¿Me ayudas?"):
    return services.requests_send(
        program=program, mentee=mentee, mentors=list(mentors), message=message
    )


def _kinds(recipient) -> list[str]:
    return list(
        Notification.objects.filter(recipient=recipient)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
