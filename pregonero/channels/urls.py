from django.urls import path

from pregonero.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("connect/return/", views.connect_return, name="connect_return"),
    path("connect/<str:network>/", views.connect, name="connect"),
    path("<int:pk>/", views.channel_edit, name="edit"),
    path("<int:pk>/reconnect/", views.reconnect, name="reconnect"),
    path("<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("<int:pk>/check/", views.check_now, name="check"),
]
