from django.urls import path

from .views import finder, pages

app_name = "teams"

urlpatterns = [
    path("find/", finder.FindView.as_view(), name="find"),
    path("find/nearest/", finder.NearestView.as_view(), name="find-nearest"),
    path("teams/", pages.TeamListView.as_view(), name="list"),
    path("teams/<slug:slug>/", pages.TeamDetailView.as_view(), name="detail"),
    path(
        "teams/<slug:slug>/past-priorities/",
        pages.PastPrioritiesView.as_view(),
        name="past-priorities",
    ),
    path(
        "officers/<int:pk>/photo-<str:digest>.webp",
        pages.officer_photo,
        name="officer-photo",
    ),
]
