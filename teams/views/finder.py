"""Find your Community Policing Team: by postcode, part of one, a place, or where you are."""

import math
from urllib.parse import quote

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import TemplateView

from portal.cache import SharedPageMixin, drawn_here, for_everyone, shared_page
from portal.cache import key as cache_key

from ..answers import Answer
from ..finder import COVERAGE_SECONDS, OUTWARD_RE, answer
from ..places import ATTRIBUTION as PLACE_ATTRIBUTION
from ..routes import nearest_postcode
from ..unanswered import unanswered_query_record

POLICE_UK_URL = "https://www.police.uk/"
FINDER_HEADING = "Find your Community Policing Team"


def heading(result: Answer | None) -> str:
    """The page's heading (and the start of its title) for an answer, as plain text."""
    kind = result.kind if result else ""
    if kind == "outside" or (result and result.outside):
        return f"{result.postcode} is outside the area Essex Police covers"
    if kind == "elsewhere":
        if result.force:
            return f"{result.postcode} is in {result.where}"
        return f"{result.query} is a British Forces Post Office address"
    if kind == "unknown":
        return f"We could not find {result.postcode}"
    if kind == "area":
        if result.coverage:
            return f"Teams that cover {result.postcode}"
        return f"We could not find any postcodes in {result.postcode}"
    if kind == "places":
        if result.places:
            return f"Places matching “{result.query}”"
        return f"We could not find a place called “{result.query}”"
    return FINDER_HEADING


def found_area(result: Answer | None) -> str:
    """The outward code or sector of an answer about one that has postcodes, as the finder
    knows it ("CM1" for " cm1 "), or "": the form shows it rather than what was typed, so the
    page is the same however it was typed."""
    return result.postcode if result and result.kind == "area" and result.coverage else ""


def coverage_table(result: Answer) -> str:
    """The table of who covers an outward code or sector (an unknown postcode's), drawn once
    per process for each real one: it holds nothing of the request."""
    if not result.coverage:
        return ""
    area = result.postcode if result.kind == "area" else result.postcode[:-2]
    return drawn_here(
        cache_key("finder-coverage-table", area.replace(" ", "_")),
        COVERAGE_SECONDS,
        lambda: render_to_string(
            "teams/find_coverage.html", {"area": area, "coverage": result.coverage}
        ),
    )


class FindView(SharedPageMixin, TemplateView):
    """The finder: goes straight to the team when there is one answer, otherwise explains.

    Answers are drawn from data the finder keeps by known objects (the routes, the coverage of
    real outward codes), never by what was typed. The blank form is a shared page, and so is
    the answer for a real outward code, kept under that code once the finder has found it
    (`shared_outward`); every other answer is drawn for its request."""

    template_name = "teams/find.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("postcode")
        if query is None:
            return self.render_to_response(self.get_context_data())
        result = answer(query)
        unanswered_query_record(answer=result)  # for staff: what people could not find
        if target := result.redirect_url:
            return HttpResponseRedirect(target)
        if outward := self.shared_outward(request, result):
            return shared_page(
                request,
                lambda: self.render_to_response(self.get_context_data(result=result)),
                query=f"postcode={outward}",
                seconds=lambda: min(COVERAGE_SECONDS, self.shared_page_seconds()),
            )
        return self.render_to_response(self.get_context_data(result=result))

    def shared_outward(self, request, result: Answer) -> str:
        """The real outward code `result` is about, if its page may be shared: the request is
        one `for_everyone` shares but for its query string, which holds `postcode` alone, once.
        The page then holds nothing of what was typed (`found_area`)."""
        area = found_area(result)
        if not OUTWARD_RE.match(area) or list(request.GET) != ["postcode"]:
            return ""
        if len(request.GET.getlist("postcode")) > 1 or not for_everyone(request, query=True):
            return ""
        return area

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = context.get("result")
        context.update(
            heading=heading(result),
            coverage_table=coverage_table(result) if result else "",
            query=found_area(result) or (result.query if result else ""),
            error=result.error if result else "",
            # The form's label under an answer (templates/includes/postcode_form.html).
            label="Search again" if result and not result.error else "",
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
