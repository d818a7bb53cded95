"""The open data: the API itself (`api.views.api`, namespace "api"), then its pages (namespace
"open-data"), whose JSON 404 catches only what the API does not."""

from django.urls import include, path, re_path

from . import pages, views

open_data_pages = (
    [
        re_path(r"^api/", views.not_found, name="not-found"),
        path("open-data/", pages.DocsView.as_view(), name="docs"),
        path("embed/find/", pages.EmbedFindView.as_view(), name="embed-find"),
    ],
    "open-data",
)

urlpatterns = [
    path("api/", views.api.urls),
    path("", include(open_data_pages)),
]
