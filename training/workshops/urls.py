from django.urls import path

from programs.events import views

from .views import WORKSHOP_PAGES

pages = {"pages": WORKSHOP_PAGES}

urlpatterns = [
    path("workshops/<uuid:code>/register/", views.event_register, pages, name="workshop_register"),
    path(
        "workshops/<uuid:code>/unregister/",
        views.event_unregister,
        pages,
        name="workshop_unregister",
    ),
    path("workshops/<uuid:code>/invite.ics", views.event_ics, pages, name="workshop_ics"),
    path("programs/<slug:slug>/workshops/", views.event_list, pages, name="workshops"),
    path("programs/<slug:slug>/workshops/new/", views.event_create, pages, name="workshop_new"),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/",
        views.event_edit,
        pages,
        name="workshop_edit",
    ),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/cancel/",
        views.event_cancel,
        pages,
        name="workshop_cancel",
    ),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/attendance/",
        views.event_attendance,
        pages,
        name="workshop_attendance",
    ),
]
