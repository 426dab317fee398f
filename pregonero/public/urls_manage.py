from django.urls import path

from pregonero.public import views_manage

app_name = "public_manage"
urlpatterns = [
    path("", views_manage.overview, name="overview"),
    path("channels/<int:pk>/", views_manage.channel_listing, name="channel"),
    path("accounts/add/", views_manage.account_edit, name="account_add"),
    path("accounts/<int:pk>/", views_manage.account_edit, name="account"),
    path("accounts/<int:pk>/remove/", views_manage.account_remove, name="account_remove"),
    path("data-protection/<str:language>/", views_manage.privacy_edit, name="privacy"),
    path("accessibility/<str:language>/", views_manage.accessibility_edit, name="accessibility"),
]
