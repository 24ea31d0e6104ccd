"""Routes of HR's proposals (managed programs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("programs/<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("programs/<slug:slug>/proposals/run/", views.proposals_run, name="proposals_run"),
    path("programs/<slug:slug>/proposals/swap/", views.proposals_swap, name="proposals_swap"),
    path("programs/<slug:slug>/proposals/assign/", views.proposal_assign, name="proposal_assign"),
    path(
        "programs/<slug:slug>/proposals/publish/",
        views.proposals_publish_confirm,
        name="proposals_publish_confirm",
    ),
    path(
        "programs/<slug:slug>/proposals/publish/send/",
        views.proposals_publish,
        name="proposals_publish",
    ),
    path(
        "programs/<slug:slug>/proposals/<uuid:code>/lock/",
        views.proposal_lock,
        name="proposal_lock",
    ),
    path(
        "programs/<slug:slug>/proposals/<uuid:code>/remove/",
        views.proposal_remove,
        name="proposal_remove",
    ),
]
