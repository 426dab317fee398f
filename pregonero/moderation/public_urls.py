from django.urls import path

from pregonero.moderation import public_views

app_name = "participation"
# Public pages, open to everyone, under the public prefix: the organisation is ``org``, as in
# pregonero.public.urls.
urlpatterns = [
    path("<slug:org>/participation-rules/", public_views.rules, name="rules"),
    path("<slug:org>/participation-rules/v<int:number>/", public_views.version, name="version"),
]
