"""Site-wide pages: home, cookies, accessibility, privacy, health and the error pages."""

import logging

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from .cache import SharedPageMixin
from .cookies import consent_from_request, cookie_list, remember_consent
from .forms import CookiesForm

logger = logging.getLogger(__name__)

COOKIE_BANNER_TAG = "cookie-banner"


class HomeView(SharedPageMixin, TemplateView):
    template_name = "portal/home.html"


class AccessibilityView(SharedPageMixin, TemplateView):
    template_name = "portal/accessibility.html"


class PrivacyView(SharedPageMixin, TemplateView):
    template_name = "portal/privacy.html"


class CookiesView(FormView):
    """The cookies page: what each cookie is for, and the choice, changeable at any time."""

    form_class = CookiesForm
    template_name = "portal/cookies.html"

    def get_initial(self):
        # A first visit starts at "No": nothing optional is on until the resident says so.
        return {"analytics": "yes" if consent_from_request(self.request) else "no"}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.helper = FormHelper()
        form.helper.layout = Layout(
            Field.radios("analytics", legend_size=Size.MEDIUM, inline=True),
            Button("submit", "Save cookie settings"),
        )
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            analytics_configured=bool(settings.ANALYTICS_SCRIPT_URL),
            cookies=cookie_list(),
            **kwargs,
        )

    def form_valid(self, form):
        response = HttpResponseRedirect(reverse("cookies"))
        remember_consent(response, analytics=form.cleaned_data["analytics"])
        messages.success(self.request, "You’ve set your cookie preferences.")
        return response


def same_site_form(request) -> bool:
    """Whether a POST came from one of the portal's own pages, told by the browser.

    For forms in shared pages, which cannot carry a per-request CSRF token. Browsers send
    Sec-Fetch-Site (all current ones) or Origin with a POST; a request with neither (an old
    browser) is judged by its Referer, as Django's CSRF check does over HTTPS.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("Referer", "")
    return referer == own or referer.startswith(own + "/")


@csrf_exempt  # the banner is in pages shared by everyone: same_site_form() checks instead
@require_POST
def cookie_consent(request):
    """The banner's Accept and Reject buttons: remember the choice, go back where they were."""
    if not same_site_form(request):
        return permission_denied(request)
    choice = request.POST.get("analytics")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if choice in {"yes", "no"}:
        remember_consent(response, analytics=choice == "yes")
        messages.info(request, choice, extra_tags=COOKIE_BANNER_TAG)
    return response


@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the page must render even when what broke is the database or a
    # context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())
