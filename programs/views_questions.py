"""Views for this part of stage 2; its urlpatterns are included by programs/urls.py."""

from __future__ import annotations

urlpatterns: list = []
