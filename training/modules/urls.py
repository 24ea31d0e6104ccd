from django.urls import path

from . import views

urlpatterns = [
    path("modules/<uuid:code>/", views.module_detail, name="module"),
    path("modules/<uuid:code>/check/", views.module_check, name="module_check"),
    path("modules/<uuid:code>/done/", views.module_complete, name="module_complete"),
    path("attempts/<uuid:code>/", views.attempt_detail, name="attempt"),
    path("library/", views.library, name="library"),
    path("library/install/", views.library_install_view, name="library_install"),
    path("library/new/", views.module_new, name="module_new"),
    path("library/<uuid:code>/", views.module_edit, name="module_edit"),
    path("library/<uuid:code>/publish/", views.module_publish, name="module_publish"),
    path("library/<uuid:code>/unpublish/", views.module_unpublish, name="module_unpublish"),
    path("library/<uuid:code>/translate/", views.module_translate, name="module_translate"),
    path("library/<uuid:code>/remove/", views.module_remove, name="module_remove"),
    path("library/<uuid:code>/copy/", views.module_copy, name="module_copy"),
    path("library/<uuid:code>/sections/new/", views.section_new, name="section_new"),
    path("sections/<uuid:code>/", views.section_edit, name="section_edit"),
    path("sections/<uuid:code>/delete/", views.section_delete, name="section_delete"),
    path("sections/<uuid:code>/move/<str:direction>/", views.section_move, name="section_move"),
    path("library/<uuid:code>/questions/new/", views.question_new, name="question_new"),
    path("questions/<uuid:code>/", views.question_edit, name="question_edit"),
    path("questions/<uuid:code>/delete/", views.question_delete, name="question_delete"),
    path("questions/<uuid:code>/move/<str:direction>/", views.question_move, name="question_move"),
]
