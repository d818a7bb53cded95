from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

# Compiled once, like a template through the cached loader.
EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


def bare(request):
    """The cheapest page Django can serve through the same middleware: the baseline."""
    return HttpResponse("ok", content_type="text/plain")


def empty_page(request):
    """base.html with nothing in it: what every page costs before its own content."""
    return HttpResponse(EMPTY_PAGE.render(request=request))


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/empty-page/", empty_page, name="bench-empty-page"),
    *portal_urlpatterns,
]
