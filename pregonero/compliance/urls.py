from django.urls import path

from pregonero.compliance import views, views_removals

app_name = "compliance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("elections/", views.election_list, name="elections"),
    path("elections/new/", views.election_new, name="election_new"),
    path("elections/<int:pk>/", views.election_edit, name="election_edit"),
    path("elections/<int:pk>/delete/", views.election_delete, name="election_delete"),
    path("rules/", views.rule_settings, name="settings"),
    path("rules/profile/", views.apply_profile, name="apply_profile"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
    path("removals/", views_removals.removal_list, name="removals"),
    path("removals/new/", views_removals.removal_new, name="removal_new"),
    path("removals/<int:pk>/", views_removals.removal_detail, name="removal_detail"),
    path("removals/<int:pk>/evidence/", views_removals.removal_evidence_add, name="removal_evidence_add"),
    path(
        "removals/<int:pk>/evidence/<int:evidence_pk>/",
        views_removals.removal_evidence_file,
        name="removal_evidence_file",
    ),
    path("removals/<int:pk>/complied/", views_removals.removal_complied, name="removal_complied"),
]
