from django.urls import path

from pregonero.compliance import views

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
]
