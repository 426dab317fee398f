from django.urls import path

from pregonero.inbound import views

app_name = "inbound"
urlpatterns = [
    path("<slug:network>/<str:public_id>/", views.hook, name="hook"),
]
