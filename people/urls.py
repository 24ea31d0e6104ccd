from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("me/", views.my_profile, name="my_profile"),
    path("team/", views.my_team, name="my_team"),
    path("<uuid:code>/", views.person_detail, name="person_detail"),
    path("<uuid:code>/edit/", views.person_edit, name="person_edit"),
    path(
        "<uuid:code>/personal-data.zip",
        views.personal_data_export,
        name="personal_data_export",
    ),
    path("<uuid:code>/erase/", views.person_erase, name="person_erase"),
    path("<uuid:code>/hr/grant/", views.hr_role_change, {"action": "grant"}, name="hr_grant"),
    path("<uuid:code>/hr/revoke/", views.hr_role_change, {"action": "revoke"}, name="hr_revoke"),
    *[
        path(
            f"email-changes/<uuid:code>/{decision}/",
            views.email_change_decide,
            {"decision": decision},
            name=f"email_change_{decision}",
        )
        for decision in views.EMAIL_CHANGE_DECISIONS
    ],
    path(
        "email-changes/confirm/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<uuid:code>/", views.department_edit, name="department_edit"),
    path("departments/<uuid:code>/delete/", views.department_delete, name="department_delete"),
    path("skills/", views.skill_list, name="skill_list"),
    path("skills/<uuid:code>/rename/", views.skill_rename, name="skill_rename"),
    path("skills/<uuid:code>/merge/", views.skill_merge, name="skill_merge"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<uuid:code>/", views.import_preview, name="import_preview"),
    path("import/<uuid:code>/confirm/", views.import_confirm, name="import_confirm"),
    path("export.csv", views.export, name="export"),
]
