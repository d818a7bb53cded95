"""Find your Community Policing Team: by postcode, part of one, a place, or where you are."""

import dataclasses
import math
from urllib.parse import quote

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from portal.cache import SharedPageMixin, digest, drawn_here, for_everyone, shared_page
from portal.cache import key as cache_key
from portal.frames import Pieces, drawn_in_pieces, joined, page_frame

from ..answers import Answer
from ..finder import COVERAGE_SECONDS, OUTWARD_RE, answer
from ..places import ATTRIBUTION as PLACE_ATTRIBUTION
from ..routes import nearest_postcode
from ..unanswered import unanswered_query_record

POLICE_UK_URL = "https://www.police.uk/"
# The finder's page around its answers shows nothing but base.html: no generation in its name.
FRAME_NAME = "portal:finder-page-frame"
FRAME_SECONDS = 60 * 60
# Where a request's own text and lists go in an answer's part drawn once for what it is about
# (`FindView.answer_body`).
SLOTS = ("postcode", "query", "places_html", "suggestions_html")
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


def page_title(result: Answer | None, error: str) -> str:
    """The start of the page's title: the heading, after "Error: " when there is one, and the
    finder's name after an answer."""
    title = f"Error: {heading(result)}" if error else heading(result)
    if result and result.kind not in {"empty", "invalid"}:
        title = f"{title} – {FINDER_HEADING}"
    return title


def body_name(result: Answer) -> str | None:
    """What an answer's own part, but for the request's text, is drawn from, as a name to keep
    it under in this process: known objects only (a council area, a real sector, a place beyond
    Code-Point Open from the finder's own table, an error message of the finder's own), in the
    current generation when they are content. None for any other answer."""
    kind = result.kind
    if kind == "outside":
        return cache_key("finder-answer-outside", result.district.code)
    if kind == "unknown":
        if result.coverage:  # its sector is real: the table of who covers it is content
            return cache_key("finder-answer-unknown", result.postcode[:-2].replace(" ", "_"))
        return "portal:finder-answer-unknown"
    if kind == "elsewhere":
        return f"portal:finder-answer-elsewhere:{digest(result.where)}"
    if kind in {"invalid", "empty"}:
        return f"portal:finder-answer-{kind}:{digest(result.error)}"
    if kind == "places":  # the places and suggestions go in slots, drawn from kept names
        shape = "places" if result.places else "suggestions" if result.suggestions else "none"
        return f"portal:finder-answer-{shape}"
    return None


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
    (`shared_outward`); every other answer is drawn for its request, inside base.html as drawn
    once per process (`answer_page`)."""

    template_name = "teams/find.html"
    body_template_name = "teams/includes/find_body.html"

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
                lambda: self.answer_page(result),
                query=f"postcode={outward}",
                seconds=lambda: min(COVERAGE_SECONDS, self.shared_page_seconds()),
            )
        return self.answer_page(result)

    def answer_page(self, result: Answer) -> HttpResponse:
        """The page for an answer. For a request that shares pages, the answer's own part
        (`answer_body`) goes between the pieces of find.html drawn once per process for its
        cookie choice, with the title in its place: base.html costs a join instead of a render."""
        context = self.get_context_data(result=result)
        if not for_everyone(self.request, query=True):
            return self.render_to_response(context)
        frame = page_frame(
            self.request,
            self.template_name,
            {"view": self},
            slots=("page_title", "page_slot"),
            name=FRAME_NAME,
            seconds=FRAME_SECONDS,
        )
        values = {
            "page_title": conditional_escape(context["page_title"]).encode(),
            "page_slot": self.answer_body(result, context),
        }
        return HttpResponse(joined(frame, values))

    def answer_body(self, result: Answer, context: dict) -> bytes:
        """find_body.html for `result`, encoded. An answer about known objects alone and the
        request's text (a postcode outside Essex: its council; one we do not have: its real
        sector; the places beyond Code-Point Open; an error) is drawn in pieces once per
        process for those objects (portal.frames), kept under their name (`body_name`), and
        each request puts its own text, escaped, in the slots (SLOTS). A list of places is
        drawn so too: its places, each drawn once (Place.html), and "Did you mean" go in slots
        of their own. Drawn whole for any other answer."""
        name = body_name(result)
        if name is None:
            return render_to_string(self.body_template_name, context).encode()

        def draw() -> Pieces:
            def slotted(stand_ins) -> dict:
                shown = dataclasses.replace(
                    result, postcode=stand_ins["postcode"], query=stand_ins["query"]
                )
                return {**context, "result": shown, "heading": heading(shown)}

            return drawn_in_pieces(self.body_template_name, slotted, SLOTS)

        pieces = drawn_here(name, COVERAGE_SECONDS, draw)
        values = {
            "postcode": conditional_escape(result.postcode).encode(),
            "query": conditional_escape(result.query).encode(),
            "places_html": context["places_html"].encode(),
            "suggestions_html": context["suggestions_html"].encode(),
        }
        return joined(pieces, values)

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
        error = context.get("error") or (result.error if result else "")
        context.update(
            heading=heading(result),
            kind=result.kind if result else "",
            page_title=page_title(result, error),
            coverage_table=coverage_table(result) if result else "",
            # The places found, each drawn once (Place.html), and "Did you mean".
            places_html=mark_safe("".join(place.html for place in result.places))  # noqa: S308
            if result
            else "",
            suggestions_html=render_to_string(
                "teams/includes/suggestions.html", {"suggestions": result.suggestions}
            )
            if result and result.suggestions
            else "",
            # An unknown postcode's sector, as the finder knows it.
            sector=result.postcode[:-2] if result and result.kind == "unknown" else "",
            query=found_area(result) or (result.query if result else ""),
            error=error,
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
