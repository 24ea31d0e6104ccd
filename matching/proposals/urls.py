"""Routes of HR's proposals (managed programs) and of the approvals of pairs."""

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
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<uuid:code>/", views.approval_decide, name="approval_decide"),
    path("approvals/<uuid:code>/confirm/", views.pairing_confirm, name="pairing_confirm"),
    path("pairs/<uuid:code>/hr-decision/", views.hr_pair_decide, name="hr_pair_decide"),
]
