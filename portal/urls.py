from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Essex Police Community Policing: staff"
admin.site.site_title = "Community Policing staff"
admin.site.index_title = "Teams, meetings and surveys"

urlpatterns = [
    path("api/", include("api.urls")),  # the open data API, first (api.urls)
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("cookies/", views.CookiesView.as_view(), name="cookies"),
    path("cookies/consent/", views.cookie_consent, name="cookie-consent"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("teams.urls")),
    path("meetings/", include("meetings.urls")),
    path("surveys/", include("surveys.urls")),
    path("", include("api.page_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
