"""The open data API at /api/: data.police.uk's neighbourhood methods for Essex, and more.

What each endpoint returns is the same for everyone, so it is kept in the cache as JSON with
its ETag (keyed by the host it names and by the generation of the team pages, which every
change to a team, officer, priority, district, ward or meeting starts anew) for a few minutes
at most: upcoming meetings become past ones without any change. 304s, Cache-Control and the
rate limit are `api.middleware.OpenDataMiddleware`'s business, CORS django-cors-headers'.
"""

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import http_date
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from pydantic import TypeAdapter

from portal.cache import generation, keep, kept
from teams.models import Team

from . import geography, police_uk, schemas

KEEP_SECONDS = 60 * 5

api = NinjaAPI(
    title="Essex Police Community Policing: open data",
    version="1",
    description=(
        "Essex Police's neighbourhood policing teams in data.police.uk's shapes, so that its "
        "clients work unchanged with this base address, plus boundaries as GeoJSON, "
        "priorities with their status, and meetings with their status and calendar. "
        "Open Government Licence v3.0."
    ),
    docs_url=None,  # the human page is /open-data/; Ninja's would load scripts from a CDN
    urls_namespace="api",
)


def _generation() -> int:
    """The portal's cache generation (portal.cache): anything the API publishes changes with it."""
    return generation()


@functools.cache
def _adapter(shape) -> TypeAdapter:
    return TypeAdapter(shape)


def _answer(request: HttpRequest, name: str, shape, build: Callable[[], object]) -> HttpResponse:
    """`build()` checked against `shape` (the endpoint's schema) and serialised by pydantic,
    kept in the cache as JSON with its ETag and the time it was made (Last-Modified), and in
    this process's copy of it (`portal.cache.kept`), so that answering again reads nothing
    more from the cache than the generation (which the rate limit reads with its count).
    Whatever `build` raises (a 404) is not kept."""
    # (body, ETag, Last-Modified as sent). Named anew when the date became text, so that no
    # worker still running the code before (which read "api:v...") is given one.
    key = f"answer:v{_generation()}:{request.get_host()}:{name}"
    entry = kept(key)
    if entry is None:
        adapter = _adapter(shape)
        body = adapter.dump_json(adapter.validate_python(build()), by_alias=True)
        etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        entry = (body, etag, http_date(time.time()))
        keep(key, entry, KEEP_SECONDS)
    body, etag, made = entry
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Last-Modified"] = made
    return response


def _absolute(request: HttpRequest) -> Callable[[str], str]:
    return request.build_absolute_uri


def _areas() -> dict[int, dict]:
    key = f"api:v{_generation()}:areas"
    areas = kept(key)
    if areas is None:
        areas = geography.team_areas()
        keep(key, areas, KEEP_SECONDS)
    return areas


def _team_answer(request, name: str, slug: str, shape, build: Callable[[Team], object], *related):
    """The answer `build(team)` makes for the team `slug`, or a 404 (which is not kept, so that
    made-up slugs cannot fill the cache)."""

    def build_for_team():
        team = Team.objects.prefetch_related(*related).filter(slug=slug).first()
        if team is None:
            raise HttpError(404, f"There is no neighbourhood {slug!r} in Essex.")
        return build(team)

    return _answer(request, f"{name}:{slug}", shape, build_for_team)


@api.exception_handler(ValidationError)
def bad_request(request, exc):
    """Police.uk answers a malformed request with 400; Ninja's default is 422."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
        for error in exc.errors
    )
    return api.create_response(request, {"detail": problems}, status=400)


@api.get("/forces", response=list[schemas.Force], url_name="forces", tags=["Forces"])
def forces(request):
    """Every force this API knows: Essex Police alone."""
    return _answer(request, "forces", list[schemas.Force], police_uk.forces)


@api.get(
    "/forces/essex",
    response={200: schemas.ForceDetail},
    url_name="force",
    tags=["Forces"],
)
def force(request):
    """Essex Police: how to reach it."""
    return _answer(
        request, "force", schemas.ForceDetail, lambda: police_uk.force(_absolute(request))
    )


@api.get(
    "/forces/essex/people", response=list[schemas.Person], url_name="force-people", tags=["Forces"]
)
def force_people(request):
    """Senior officers: the Chief Inspectors, then each team's Inspector in command."""
    return _answer(request, "force-people", list[schemas.Person], police_uk.senior_officers)


@api.get(
    "/essex/neighbourhoods",
    response=list[schemas.Neighbourhood],
    url_name="neighbourhoods",
    tags=["Neighbourhoods"],
)
def neighbourhoods(request):
    """Every Community Policing Team; its id is the team's address on this site."""
    return _answer(request, "neighbourhoods", list[schemas.Neighbourhood], police_uk.neighbourhoods)


@api.get(
    "/locate-neighbourhood",
    response={200: schemas.Located, 400: schemas.Problem, 404: schemas.Problem},
    url_name="locate-neighbourhood",
    tags=["Neighbourhoods"],
)
def locate_neighbourhood(request, q: str = Query(..., examples=["51.7356,0.4685"])):
    """The team policing a point (`q=latitude,longitude`, WGS84): the team for the nearest
    postcode, as the finder's "Use my location" gives. 404 outside Essex."""
    try:
        latitude, longitude = (float(part) for part in q.split(","))
    except ValueError:
        raise HttpError(400, "Give q as latitude,longitude, such as 51.7356,0.4685.") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise HttpError(400, "The latitude or longitude is out of range.")
    slug = police_uk.team_slug_at(latitude, longitude)
    if slug is None:
        raise HttpError(404, "No Essex neighbourhood covers that point.")
    body, etag = _located(slug)
    response = HttpResponse(body, content_type=api.get_content_type())
    response["ETag"] = etag
    return response


@functools.lru_cache(maxsize=256)
def _located(slug: str) -> tuple[bytes, str]:
    """locate-neighbourhood's answer for a team, the same wherever the point: as Ninja renders
    it (checked against the schema), with the ETag the middleware would give it, made once per
    team (a slug from the routes, never text from the request)."""
    located = schemas.Located(force=police_uk.FORCE_ID, neighbourhood=slug)
    body = api.renderer.render(None, located.model_dump(by_alias=True), response_status=200)
    body = body.encode()
    return body, f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'


@api.get(
    "/essex/{slug}",
    response={200: schemas.NeighbourhoodDetail, 404: schemas.Problem},
    url_name="neighbourhood",
    tags=["Neighbourhoods"],
)
def neighbourhood(request, slug: str):
    """One team: description, how to reach it, its partnerships and meeting places."""

    def build(team):
        area = _areas().get(team.pk)
        return police_uk.neighbourhood(team, area=area, absolute=_absolute(request))

    return _team_answer(
        request,
        "neighbourhood",
        slug,
        schemas.NeighbourhoodDetail,
        build,
        *police_uk.NEIGHBOURHOOD_RELATED,
    )


@api.get(
    "/essex/{slug}/people",
    response={200: list[schemas.Person], 404: schemas.Problem},
    url_name="people",
    tags=["Neighbourhoods"],
)
def people(request, slug: str):
    """The team's officers, PCSOs and Special Constables, the Inspector in command first."""
    return _team_answer(
        request, "people", slug, list[schemas.Person], police_uk.people, *police_uk.PEOPLE_RELATED
    )


@api.get(
    "/essex/{slug}/events",
    response={200: list[schemas.Event], 404: schemas.Problem},
    url_name="events",
    tags=["Neighbourhoods"],
)
def events(request, slug: str, status: Literal["all"] | None = None):
    """The team's coming Local Community Meetings, soonest first. Cancelled ones are left out,
    as police.uk's clients expect, unless `status=all`."""
    everything = status == "all"

    def build(team):
        return police_uk.events(team, include_cancelled=everything, absolute=_absolute(request))

    return _team_answer(request, f"events:{status}", slug, list[schemas.Event], build)


@api.get(
    "/essex/{slug}/priorities",
    response={200: list[schemas.Priority], 404: schemas.Problem},
    url_name="priorities",
    by_alias=True,
    tags=["Neighbourhoods"],
)
def priorities(request, slug: str, status: Literal["open", "closed", "all"] = "open"):
    """The team's priorities, newest first: the open ones (raised or in progress), as police.uk
    lists, or `closed` or `all` (open first), each with its stage, outcome and outcome date."""
    return _team_answer(
        request,
        f"priorities:{status}",
        slug,
        list[schemas.Priority],
        lambda team: police_uk.priorities(team, status=status),
    )


@api.get(
    "/essex/{slug}/boundary",
    response={200: list[schemas.Point], 404: schemas.Problem},
    url_name="boundary",
    tags=["Neighbourhoods"],
)
def boundary(request, slug: str):
    """The outline of the team's area (its largest part), as police.uk's list of points.
    Approximate: drawn from postcode positions; see boundary.geojson."""
    return _team_answer(
        request,
        "boundary",
        slug,
        list[schemas.Point],
        lambda team: police_uk.boundary(_areas().get(team.pk)),
    )


@api.get(
    "/essex/{slug}/boundary.geojson",
    response={200: schemas.Feature, 404: schemas.Problem},
    url_name="boundary-geojson",
    tags=["Neighbourhoods"],
)
def boundary_geojson(request, slug: str):
    """The team's whole area, every part and hole, as a GeoJSON Feature (MultiPolygon)."""

    def build(team):
        return police_uk.boundary_geojson(team, _areas().get(team.pk), _absolute(request))

    return _team_answer(request, "boundary-geojson", slug, schemas.Feature, build)


def not_found(request):
    """Anything else under /api/: a JSON 404, as every other error here."""
    return JsonResponse({"detail": "There is no such method in this API."}, status=404)
