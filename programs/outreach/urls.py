from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/outreach/", views.outreach, name="outreach"),
    path("manage/<slug:slug>/outreach/invite/", views.appeal_new, name="appeal_new"),
    path("<slug:slug>/recommend/", views.recommend, name="recommend"),
    path("<slug:slug>/refer/", views.refer, name="refer"),
    path("invitations/<str:token>/", views.outreach_open, name="outreach_open"),
    path("invitations/<str:token>/decline/", views.outreach_decline, name="outreach_decline"),
]
