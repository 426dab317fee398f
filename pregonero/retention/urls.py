from django.urls import path

from pregonero.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("run/", views.run_now, name="run"),
    path("holds/<int:pk>/release/", views.release_hold, name="release_hold"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
