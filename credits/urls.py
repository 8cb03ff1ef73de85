from __future__ import annotations

from django.urls import path

from credits import certificate_views, tracer_views, views

app_name = "credits"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="new"),
    path("new/read/", certificate_views.read, name="read"),
    path("new/reading/", certificate_views.reading, name="reading"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/delete/", views.entry_delete, name="delete"),
    path("<int:pk>/restore/", views.entry_restore, name="restore"),
    path("<int:pk>/certificate/", views.entry_certificate, name="certificate"),
    path("tracer-procedures/", tracer_views.tracer_list, name="tracer_list"),
    path("tracer-procedures/<int:pk>/", tracer_views.tracer_detail, name="tracer_detail"),
    path("tracer-procedures/<int:pk>/delete/", tracer_views.tracer_delete, name="tracer_delete"),
]
