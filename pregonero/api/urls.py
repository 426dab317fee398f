from django.urls import path

from pregonero.api import views

app_name = "api_admin"
urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/", views.endpoint_list, name="webhooks"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="webhook"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery>/resend/", views.delivery_resend, name="delivery_resend"
    ),
]
