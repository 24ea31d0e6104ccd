from django.urls import path

from . import views

urlpatterns = [
    path("pairs/<uuid:code>/agreement/", views.agreement_detail, name="agreement"),
    path("pairs/<uuid:code>/agreement/edit/", views.agreement_edit, name="agreement_edit"),
    path("pairs/<uuid:code>/agreement/sign/", views.agreement_sign_view, name="agreement_sign"),
]
