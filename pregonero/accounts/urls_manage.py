from django.urls import path

from pregonero.accounts import views_manage as views

app_name = "manage"
urlpatterns = [
    path("settings/", views.organisation_settings, name="settings"),
    path("departments/", views.departments, name="departments"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("organisations/", views.organisations, name="organisations"),
]
