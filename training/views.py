"""Participants: my checklist, reading a module, the knowledge check, sign-off."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path

from .progress import checklists_for, optional_modules_for
from .workshops.selectors import upcoming_workshops_for


def my_training(request):
    checklists = checklists_for(request.user)
    return render(
        request,
        "training/my_training.html",
        {
            "checklists": checklists,
            "optional": optional_modules_for(request.user, checklists),
            "workshops": upcoming_workshops_for(request.user),
        },
    )


urlpatterns = [
    path("", my_training, name="my_training"),
]
