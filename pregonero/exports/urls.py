from django.urls import path

from pregonero.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/download", views.export_download, name="download"),
]
