"""Find your Community Policing Team: by postcode, part of one, a place, or where you are."""

import hashlib
import math
from urllib.parse import quote

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from ..finder import answer, nearest_postcode
from ..places import ATTRIBUTION as PLACE_ATTRIBUTION
from ..unanswered import unanswered_query_record
from .kept import CachedForResidentsMixin

POLICE_UK_URL = "https://www.police.uk/"


class FindView(CachedForResidentsMixin, TemplateView):
    """The finder: goes straight to the team when there is one answer, otherwise explains.

    The answers for an outward code or sector (a few hundred in Essex, each asked often) are
    kept for residents like the team pages. Other answers are drawn each time: full postcodes
    outside Essex are many and each rarely asked again (keeping them made no difference under
    load), and bad input or places must not let anyone fill the cache by typing."""

    template_name = "teams/find.html"
    cacheable_query = frozenset({"postcode"})
    KEPT_ANSWERS = frozenset({"area"})

    def get(self, request, *args, **kwargs):
        query = request.GET.get("postcode")
        if query is None:
            return self.render_to_response(self.get_context_data())
        result = answer(query)
        unanswered_query_record(answer=result)  # for staff: what people could not find
        if target := result.redirect_url:
            return HttpResponseRedirect(target)
        key = None
        if result.kind in self.KEPT_ANSWERS:
            # The page shows the query as typed (cleaned), so that is part of the key.
            shown = hashlib.sha256(result.query.encode()).hexdigest()[:16]
            key = self.page_cache_key(variant=f"{result.kind}:{shown}")
        return self.serve_kept(
            key, lambda: self.render_to_response(self.get_context_data(result=result))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = context.get("result")
        context.update(
            query=result.query if result else "",
            error=result.error if result else "",
            police_uk_url=POLICE_UK_URL,
            place_attribution=PLACE_ATTRIBUTION,
        )
        return context


class NearestView(FindView):
    """Where "Use my location" sends the browser: the nearest postcode, then as if typed."""

    def get(self, request, *args, **kwargs):
        try:
            latitude = float(request.GET.get("latitude", ""))
            longitude = float(request.GET.get("longitude", ""))
        except ValueError:
            latitude = longitude = math.nan
        postcode = None
        if math.isfinite(latitude) and math.isfinite(longitude):
            postcode = nearest_postcode(latitude, longitude)
        if postcode:
            return redirect(f"{reverse('teams:find')}?postcode={quote(postcode)}")
        return self.render_to_response(
            self.get_context_data(
                error="We could not find a postcode near your location. Enter your postcode instead"
            )
        )

    def get_context_data(self, **kwargs):
        error = kwargs.pop("error", "")
        context = super().get_context_data(**kwargs)
        if error:
            context["error"] = error
        return context
