from django.urls import path

from . import feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("feed/", feeds.UpcomingMeetingsFeed(), name="feed"),
    path("feed/atom/", feeds.UpcomingMeetingsAtomFeed(), name="feed-atom"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail-short"),
    path("<int:pk>/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/calendar.ics", views.meeting_calendar, name="calendar"),
    path("teams/<slug:slug>/past/", views.TeamPastMeetingsView.as_view(), name="team-past"),
    path("teams/<slug:slug>/calendar.ics", views.team_calendar, name="team-calendar"),
    path("teams/<slug:slug>/feed/", feeds.UpcomingMeetingsFeed(), name="team-feed"),
    path("teams/<slug:slug>/feed/atom/", feeds.UpcomingMeetingsAtomFeed(), name="team-feed-atom"),
]
