from django.urls import path

from pregonero.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.month, name="month"),
    path("week/", views.week, name="week"),
    path("list/", views.agenda_list, name="list"),
    path("export.ics", views.export_ics, name="export_ics"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("import/", views.import_posts, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("posts/<int:pk>/move/", views.move, name="move"),
    path("holidays/", views.local_holidays, name="holidays"),
    path("holidays/<int:pk>/", views.local_holiday_edit, name="holiday_edit"),
    path("holidays/<int:pk>/remove/", views.local_holiday_remove, name="holiday_remove"),
]
