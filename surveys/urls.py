from django.urls import path

from . import staff_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.SurveyListView.as_view(), name="list"),
    path("staff/", staff_views.StaffSurveyListView.as_view(), name="staff-list"),
    path("staff/<slug:slug>/", staff_views.StaffResultsView.as_view(), name="staff-results"),
    path(
        "staff/<slug:slug>/responses.csv",
        staff_views.ResponsesCsvView.as_view(),
        name="staff-responses-csv",
    ),
    path(
        "staff/<slug:slug>/results.csv",
        staff_views.ResultsCsvView.as_view(),
        name="staff-results-csv",
    ),
    path("<slug:slug>/", views.StartView.as_view(), name="start"),
    path("<slug:slug>/page/<int:number>/", views.PageView.as_view(), name="page"),
    path("<slug:slug>/check-your-answers/", views.CheckAnswersView.as_view(), name="check"),
    path("<slug:slug>/confirmation/", views.ConfirmationView.as_view(), name="confirmation"),
    path("<slug:slug>/results/", views.PublicResultsView.as_view(), name="results"),
]
