from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pregonero.core.urls")),
    path("accounts/", include("pregonero.accounts.urls_auth")),
    path("o/<slug:slug>/", include("pregonero.accounts.urls_manage")),
    path("o/<slug:slug>/audit/", include("pregonero.audit.urls")),
    path("o/<slug:slug>/posts/", include("pregonero.publishing.urls")),
    path("o/<slug:slug>/channels/", include("pregonero.channels.urls")),
    path("o/<slug:slug>/compliance/", include("pregonero.compliance.urls")),
    path("o/<slug:slug>/calendar/", include("pregonero.agenda.urls")),
    path("p/", include("pregonero.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
