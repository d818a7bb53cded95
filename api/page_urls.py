"""The open data's pages for people (namespace "open-data"), among the portal's other pages."""

from django.urls import path

from . import pages

app_name = "open-data"

urlpatterns = [
    path("open-data/", pages.DocsView.as_view(), name="docs"),
    path("embed/find/", pages.EmbedFindView.as_view(), name="embed-find"),
]
