from django.urls import path

from . import views

urlpatterns = [
    path("workshops/<uuid:code>/register/", views.workshop_register, name="workshop_register"),
    path(
        "workshops/<uuid:code>/unregister/", views.workshop_unregister, name="workshop_unregister"
    ),
    path("workshops/<uuid:code>/invite.ics", views.workshop_ics, name="workshop_ics"),
    path("programs/<slug:slug>/workshops/", views.workshop_list, name="workshops"),
    path("programs/<slug:slug>/workshops/new/", views.workshop_new, name="workshop_new"),
    path("programs/<slug:slug>/workshops/<uuid:code>/", views.workshop_edit, name="workshop_edit"),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/cancel/",
        views.workshop_cancel,
        name="workshop_cancel",
    ),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/attendance/",
        views.workshop_attendance,
        name="workshop_attendance",
    ),
]
