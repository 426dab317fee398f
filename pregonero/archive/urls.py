from django.urls import path

from pregonero.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("<int:seq>/", views.record_detail, name="record"),
]
