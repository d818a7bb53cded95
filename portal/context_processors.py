from django.conf import settings

from .cookies import consent_from_request
from .templatetags.site_parts import site_path


def site(request):
    """What every page needs: the report-online link, analytics and the cookie choice."""
    consent = consent_from_request(request)
    on_cookies_page = request.path == site_path("cookies")
    return {
        "analytics_script_url": settings.ANALYTICS_SCRIPT_URL if consent else "",
        # base.html asks for it twice; a page with a back link sets its own. Defined here, the
        # lookup finds it instead of raising and catching VariableDoesNotExist on every page.
        "back_url": "",
        "cookie_consent": consent,
        "report_online_url": settings.REPORT_ONLINE_URL,
        # The cookies page has its own form, so the banner would only repeat it.
        "show_cookie_banner": consent is None and not on_cookies_page,
    }
