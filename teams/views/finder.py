"""Find your Community Policing Team: by postcode, part of one, a place, or where you are."""

import math
from urllib.parse import quote

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from portal.cache import SharedPageMixin

from ..finder import answer, nearest_postcode
from ..places import ATTRIBUTION as PLACE_ATTRIBUTION
from ..unanswered import unanswered_query_record

POLICE_UK_URL = "https://www.police.uk/"


class FindView(SharedPageMixin, TemplateView):
    """The finder: goes straight to the team when there is one answer, otherwise explains.

    Answers are drawn each time, from data the finder keeps by known objects (the routes, the
    coverage of real outward codes), never by what was typed; only the blank form is shared."""

    template_name = "teams/find.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("postcode")
        if query is None:
            return self.render_to_response(self.get_context_data())
        result = answer(query)
        unanswered_query_record(answer=result)  # for staff: what people could not find
        if target := result.redirect_url:
            return HttpResponseRedirect(target)
        return self.render_to_response(self.get_context_data(result=result))

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
