from django.contrib import admin
from django.urls import include, path

from pregonero.api.api import api
from pregonero.api.views import api_docs

urlpatterns = [
    path("", include("pregonero.core.urls")),
    path("api/v1/docs", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("o/<slug:slug>/api/", include("pregonero.api.urls")),
    path("accounts/", include("pregonero.accounts.urls_auth")),
    path("o/<slug:slug>/", include("pregonero.accounts.urls_manage")),
    path("o/<slug:slug>/audit/", include("pregonero.audit.urls")),
    path("o/<slug:slug>/posts/", include("pregonero.publishing.urls")),
    path("o/<slug:slug>/channels/", include("pregonero.channels.urls")),
    path("o/<slug:slug>/compliance/", include("pregonero.compliance.urls")),
    path("o/<slug:slug>/calendar/", include("pregonero.agenda.urls")),
    path("o/<slug:slug>/inbox/", include("pregonero.inbox.urls")),
    path("o/<slug:slug>/archive/exports/", include("pregonero.exports.urls")),
    path("o/<slug:slug>/archive/", include("pregonero.archive.urls")),
    path("o/<slug:slug>/public-pages/", include("pregonero.public.urls_manage")),
    path("o/<slug:slug>/moderation/", include("pregonero.moderation.urls")),
    path("o/<slug:slug>/retention/", include("pregonero.retention.urls")),
    path("p/", include("pregonero.public.urls")),
    path("p/", include("pregonero.moderation.public_urls")),
    path("hooks/", include("pregonero.inbound.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
