"""Routes of the pairs: a pair's page, ending it, my pairs, HR's pairs of a program."""

from django.urls import path

from . import views

urlpatterns = [
    path("programs/<slug:slug>/pairs/", views.hr_pairs, name="hr_pairs"),
    path("pairs/", views.my_pairs, name="my_pairs"),
    path("pairs/<uuid:code>/", views.mentorship_detail, name="mentorship"),
    path("pairs/<uuid:code>/end/", views.mentorship_end, name="mentorship_end"),
]
