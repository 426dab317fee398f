from django.urls import path

from pregonero.inbox import views, views_answering, views_interface

app_name = "inbox"
urlpatterns = [
    path("", views_interface.inbox_list, name="list"),
    path("updates/", views_interface.updates, name="updates"),
    path("team/", views_interface.team, name="team"),
    path("views/save/", views_interface.view_save, name="view_save"),
    path("views/<int:pk>/remove/", views_interface.view_remove, name="view_remove"),
    path("<int:pk>/state/", views_interface.set_state, name="state"),
    path(
        "<int:pk>/messages/<int:message_pk>/images/<int:index>/",
        views_interface.message_image,
        name="message_image",
    ),
    path("settings/", views.inbox_settings, name="settings"),
    path("settings/rules/<int:pk>/remove/", views.rule_remove, name="rule_remove"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/reply/", views_answering.reply, name="reply"),
    path("<int:pk>/writing/", views_answering.writing, name="writing"),
    path("<int:pk>/pending/<int:pending_pk>/approve/", views_answering.approve, name="approve"),
    path("<int:pk>/pending/<int:pending_pk>/return/", views_answering.send_back, name="send_back"),
    path("pending/", views_answering.pending_list, name="pending"),
    path("saved/", views_answering.saved_list, name="saved_list"),
    path("saved/new/", views_answering.saved_edit, name="saved_new"),
    path("saved/<int:pk>/", views_answering.saved_edit, name="saved_edit"),
    path("saved/<int:pk>/delete/", views_answering.saved_delete, name="saved_delete"),
    path("settings/answering/", views_answering.answering_settings, name="answering_settings"),
]
