from django.urls import path

from pregonero.publishing import views, views_publications, views_translate

app_name = "publishing"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_new, name="new"),
    path("preview/", views.post_preview, name="preview"),
    path("policy/", views.policy, name="policy"),
    path("emergency/", views.emergency, name="emergency"),
    path("attention/", views_publications.attention_list, name="attention"),
    path("publications/<int:pk>/retry/", views_publications.publication_retry, name="publication_retry"),
    path(
        "publications/<int:pk>/mark-sent/",
        views_publications.publication_mark_sent,
        name="publication_mark_sent",
    ),
    path("publications/<int:pk>/cancel/", views_publications.publication_cancel, name="publication_cancel"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/edit/", views.post_edit, name="edit"),
    path("<int:pk>/autosave/", views.post_autosave, name="autosave"),
    path("<int:pk>/preview/", views.post_preview_saved, name="preview_saved"),
    path("<int:pk>/overrides/", views.override_request, name="override"),
    path("<int:pk>/overrides/<int:override_pk>/confirm/", views.override_confirm, name="override_confirm"),
    path("<int:pk>/submit/", views.post_submit, name="submit"),
    path("<int:pk>/review/", views.post_review, name="review"),
    path("<int:pk>/schedule/", views.post_schedule, name="schedule"),
    path("<int:pk>/publish-now/", views.post_publish_now, name="publish_now"),
    path("<int:pk>/withdraw/", views.post_withdraw, name="withdraw"),
    path("<int:pk>/regenerate/", views.post_regenerate, name="regenerate"),
    path("<int:pk>/media/", views.media_add, name="media_add"),
    path("<int:pk>/media/<int:media_pk>/", views.media_edit, name="media_edit"),
    path("<int:pk>/media/<int:media_pk>/remove/", views.media_remove, name="media_remove"),
    path("<int:pk>/variants/<int:variant_pk>/", views.variant_edit, name="variant_edit"),
    path("<int:pk>/translate/", views_translate.post_translate, name="translate"),
    path("<int:pk>/translate/confirm/", views_translate.translation_confirm, name="translation_confirm"),
]
