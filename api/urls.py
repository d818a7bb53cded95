"""The open data's pages. The API itself (`api.views.api.urls`, namespace "api") is included
in portal.urls just before these, so that the JSON 404 below catches only what it does not."""

from django.urls import path, re_path

from . import pages, views

app_name = "open-data"

urlpatterns = [
    re_path(r"^api/", views.not_found, name="not-found"),
    path("open-data/", pages.DocsView.as_view(), name="docs"),
    path("embed/find/", pages.EmbedFindView.as_view(), name="embed-find"),
]
