from django.urls import path

from pregonero.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:slug>/", views.dashboard, name="dashboard"),
]
