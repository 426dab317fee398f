from django.urls import path

from pregonero.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("settings/", views.inbox_settings, name="settings"),
    path("settings/rules/<int:pk>/remove/", views.rule_remove, name="rule_remove"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/reply/", views.reply, name="reply"),
]
