from django.urls import path

from pregonero.accounts import views_auth as views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
