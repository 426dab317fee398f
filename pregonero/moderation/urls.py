from django.urls import path

from pregonero.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.register, name="register"),
    path("register.csv", views.export_csv, name="export_csv"),
    path("messages/<int:pk>/", views.moderate, name="moderate"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/reverse/", views.decision_reverse, name="reverse"),
    path("decisions/<int:pk>/appeal/", views.appeal_add, name="appeal"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("rules/", views.rules, name="rules"),
    path("rules/standard/", views.rules_start, name="rules_start"),
    path("rules/<slug:code>/remove/", views.rule_remove, name="rule_remove"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notices, name="notice_edit"),
    path("notices/<int:pk>/remove/", views.notice_remove, name="notice_remove"),
]
