from django.conf import settings


class PermissionsPolicyMiddleware:
    """Switch off browser features the portal never uses (only geolocation, for "Use my
    location", is allowed, and only for the portal itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class CacheControlMiddleware:
    """Say what a browser or CDN may keep. Pages shared by every resident say `public` with a
    short max-age (portal.cache.mark_shared); everything else (a session, a form token, a
    cookie being set, staff pages) is `private`, and a `public` response that sets a cookie is
    made private, whatever the view said."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if not control or ("public" in control and response.cookies):
            response.headers["Cache-Control"] = "private, no-cache"
        return response
