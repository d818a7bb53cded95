"""The open data API (`api.views.api`, namespace "api") with a JSON 404 for what it does not
have, mounted at api/ first of all the portal's paths (portal.urls): machines ask for them many
times a second, and any other path fails at that prefix at once. Its pages for people are in
`api.page_urls`."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.api.urls),
    re_path(r"", views.not_found),
]
