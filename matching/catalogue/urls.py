"""Routes of the mentor catalogue: mentees' catalogue and requests, mentors' replies."""

from django.urls import path

from . import views

urlpatterns = [
    path("programs/<slug:slug>/mentors/", views.catalogue, name="catalogue"),
    path("programs/<slug:slug>/mentors/<uuid:code>/", views.mentor_detail, name="mentor_detail"),
    path("programs/<slug:slug>/request/", views.request_new, name="request_new"),
    path("requests/", views.requests_received, name="requests_received"),
    path("requests/<uuid:code>/accept/", views.request_accept, name="request_accept"),
    path("requests/<uuid:code>/decline/", views.request_decline, name="request_decline"),
    path("requests/<uuid:code>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("programs/<slug:slug>/availability/", views.availability, name="availability"),
    path("programs/<slug:slug>/my-requests/", views.my_requests, name="my_requests"),
    path("programs/<slug:slug>/catalogue-hr/", views.hr_catalogue, name="hr_catalogue"),
    path("programs/<slug:slug>/catalogue-hr/remind/", views.hr_nudge, name="hr_nudge"),
    path(
        "programs/<slug:slug>/catalogue-hr/mentees/<uuid:code>/propose/",
        views.hr_propose,
        name="hr_propose",
    ),
]
