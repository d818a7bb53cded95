"""What the portal keeps in the shared cache, and the one generation that keeps it true.

Everything kept for residents (drawn maps, finder coverage, fragments of team pages, whole
anonymous pages) is keyed by the current *generation*. Any write that could change what a
resident sees starts a new generation **after its transaction commits** (`content_changed`), so
a request running between the write and the commit can only keep the old content under the old
generation, which nobody asks for again. Old entries are left to expire.

The writes that reach here: every save and delete of the content models (signals, so admin
saves, inlines, deletes and the delete action), and the paths that send no signals, which call
`content_changed` themselves: `meetings_generate` (bulk_create), the postcode import, the
reference data and demo loaders and any `QuerySet.update()` in services.

Keys are made only from known objects: a page's path once the view has found the page (status
200), a team's primary key, an outward code that has postcodes. Never from text a visitor typed.
"""

import datetime
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from .cookies import consent_from_request

GENERATION_KEY = "portal:generation"
T = TypeVar("T")


# The generation is read once per request (every key of the request uses it), never kept
# between requests: a change committed by any worker shows on the very next request.
_request = threading.local()


@receiver(request_started)
@receiver(request_finished)
def _new_request(**kwargs) -> None:
    _request.generation = None
    _request.active = kwargs.get("signal") is request_started


def _fresh_generation() -> int:
    # When the shared cache has lost the generation (a restart, an eviction), the next one must
    # differ from every generation before it, or a worker's copies from then would come back.
    return time.time_ns()


def shared_between_processes() -> bool:
    """Whether every process reads the same cache (Redis, as production requires), not its
    own memory (the embedded default): only then is work kept in it for other processes."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


def generation() -> int:
    """The current generation."""
    current = getattr(_request, "generation", None)
    if current is None:
        current = cache.get_or_set(GENERATION_KEY, _fresh_generation, None)
        if getattr(_request, "active", False):
            _request.generation = current
    return current


def generation_read(value: int | None) -> None:
    """The generation, as a caller read it along with something else in one round trip (the
    open data API's rate limit): used for the rest of this request. None (not there) is
    ignored: `generation()` then reads it, or starts a new one, as usual."""
    if value is not None and getattr(_request, "active", False):
        _request.generation = value


def read_with_generation(name: str) -> object | None:
    """What the shared cache holds under `name`, a whole key of its own (not made with `key()`:
    another version kept beside the generation, like the survey results'), read in the same
    round trip as the generation when this request has not read that yet."""
    if getattr(_request, "generation", None) is not None or not getattr(_request, "active", False):
        return cache.get(name)
    values = cache.get_many([GENERATION_KEY, name])
    generation_read(values.get(GENERATION_KEY))
    return values.get(name)


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # lost: any value never used before will do
        cache.set(GENERATION_KEY, _fresh_generation(), None)
    _request.generation = None


def content_changed(using: str | None = None) -> None:
    """Start a new generation once the current transaction commits (at once outside one)."""
    transaction.on_commit(_next_generation, using=using)


def key(*parts: object) -> str:
    """A key in the current generation, e.g. key("team", team.pk)."""
    return ":".join(["portal", f"g{generation()}", *(str(part) for part in parts)])


def digest(text: str) -> str:
    """A short fixed-length stand-in for a known path in a key (memcached-safe length)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# This process's copies of what it last read from the shared cache. A copy is used only under
# the same key, so only in the same generation, and only until it expires: it can never be
# staler than the shared entry it was read from. Keys come from known objects, so the copies
# are few; the oldest go first when there are more than KEPT_IN_PROCESS.
KEPT_IN_PROCESS = 500
_copies: OrderedDict[str, tuple[float, object]] = OrderedDict()
_copies_lock = threading.Lock()
# What `drawn_here` keeps, apart, so that a finder answered for many outward codes or councils
# does not push out the copies of kept pages (one table or answer a few KB, so a few MB at most).
DRAWN_IN_PROCESS = 4000
_drawn: OrderedDict[str, tuple[float, object]] = OrderedDict()


def _copy(
    name: str, entry: tuple[float, object], store=_copies, most: int = KEPT_IN_PROCESS
) -> None:
    with _copies_lock:
        store[name] = entry
        store.move_to_end(name)
        while len(store) > most:
            store.popitem(last=False)


def kept(name: str) -> object | None:
    """What is kept under `name` (made with `key()`), or None."""
    entry = _copies.get(name)
    if entry is None:
        entry = cache.get(name)
        if entry is None:
            return None
        _copy(name, entry)
    expires, value = entry
    return value if expires > time.time() else None


def keep(name: str, value: object, seconds: int) -> None:
    """Keep `value` under `name` (made with `key()`) for `seconds`, for every worker."""
    entry = (time.time() + seconds, value)
    cache.set(name, entry, seconds)
    _copy(name, entry)


def drawn_here(name: str, seconds: int, draw: Callable[[], T]) -> T:
    """What `draw()` returns, kept in this process only, under `name` for `seconds`: for
    fragments drawn from what is kept for everyone (a table of an outward code's teams), cheaper
    to draw once per process than to send through the shared cache. `name` is made with
    `key()`, so in this generation, when what is drawn shows content; a fragment of settings,
    addresses and the code's own text alone (base.html, an error message) may have a fixed name.
    Never for anything drawn from a request."""
    entry = _drawn.get(name)
    if entry is None or entry[0] <= time.time():
        entry = (time.time() + seconds, draw())
        _copy(name, entry, _drawn, DRAWN_IN_PROCESS)
    return entry[1]


# Whole pages, for residents who would all see the same page.


def for_everyone(request: HttpRequest, *, query: bool = False) -> bool:
    """Whether this request gets the page every resident gets at this address: a GET or HEAD
    with no query string (unless `query`: the page vouches for its own, see SharedPageMixin),
    no session (so not signed in, no survey in progress) and no message waiting. Such a page
    can differ only by the resident's cookie choice, which is in its key."""
    return (
        request.method in {"GET", "HEAD"}
        and (query or not request.META.get("QUERY_STRING"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request: HttpRequest, version: str = "", query: str = "") -> str:
    # Pages may name their own address (calendar links). The host is one of ALLOWED_HOSTS:
    # get_host() refuses any other.
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return key("page", consent_from_request(request), version, digest(where))


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Nothing of this request's own went into the page: no form token, no cookie set."""
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not response.has_header("Cache-Control")
    )


class SharedPageMixin:
    """Serve the page from the shared cache to residents who would all see the same page.

    Only requests `for_everyone` share it, and a page is kept only when rendering it used
    nothing of the request's own (`_may_keep`): a page whose template asks for a CSRF token, sets
    a cookie or says how it may be cached is never kept. The key is the generation, the cookie
    choice and the path of a page that exists (status 200). The copy is served as kept, never
    changed on the way out. `shared_page_seconds()` bounds how long anything that depends on
    the time of day may be kept.

    A page drawn from a few filters in its query string (survey results by team and quarter)
    names them in `shared_query_names`. A request whose query holds those names only, each at
    most once, is shared under a key made from them in a fixed order; the page is kept only
    when the view, having found every value among known objects (a team that exists, a quarter
    with results), sets `self.shared_query_known`. Any other query string, and values the view
    did not know, are drawn for the request alone and never kept, so no one can fill the cache.
    """

    shared_query_names: tuple[str, ...] = ()
    shared_query_known = False

    def shared_page_seconds(self) -> int:
        return seconds_until_midnight()

    def shared_page_version(self) -> str:
        """A page that changes with something other than content (survey results change with
        each response) names that something's own version here; it becomes part of the key."""
        return ""

    def shared_query(self, request) -> str | None:
        """The query string in a fixed order, or None if it is not one this page may share."""
        if not request.META.get("QUERY_STRING"):
            return ""
        names = self.shared_query_names
        given = request.GET
        if not names or any(name not in names or len(given.getlist(name)) > 1 for name in given):
            return None
        return "&".join(f"{name}={given[name]}" for name in names if name in given)

    def dispatch(self, request, *args, **kwargs):
        query = self.shared_query(request) if self.shared_query_names else ""
        if query is None or not for_everyone(request, query=bool(query)):
            return super().dispatch(request, *args, **kwargs)
        return shared_page(
            request,
            functools.partial(super().dispatch, request, *args, **kwargs),
            query=query,
            version=self.shared_page_version(),
            seconds=self.shared_page_seconds,
            known=lambda: not query or self.shared_query_known,
        )


def shared_page(
    request: HttpRequest,
    draw: Callable[[], HttpResponse],
    *,
    seconds: Callable[[], int],
    query: str = "",
    version: str = "",
    known: Callable[[], bool] = lambda: True,
) -> HttpResponse:
    """The page at this address for a request `for_everyone` would share: the copy kept under
    the generation, the cookie choice, `version` and `query`, served as kept, or else `draw()`'s
    page, kept for `seconds()` once it is rendered if `_may_keep` holds and `known()` (the view
    found what the page is drawn from among known objects).

    `query` names what the page shows in a fixed form; a page is kept under it only when it is
    made of known objects (a team that exists, a real outward code: `known()`), never of text a
    visitor typed. `seconds` and `known` are asked only after the view has run, so they may
    depend on what it found."""
    page_key = _page_key(request, version, query)
    page = kept(page_key)
    if page is not None:
        content, content_type = page
        response = HttpResponse(content, content_type=content_type)
        mark_shared(response)
        return response
    response = draw()

    def keep_if_shared(rendered):
        if _may_keep(request, rendered) and known():
            keep(page_key, (rendered.content, rendered["Content-Type"]), max(1, seconds()))
            mark_shared(rendered)

    if getattr(response, "is_rendered", True):
        keep_if_shared(response)
    else:
        response.add_post_render_callback(keep_if_shared)
    return response


# HTTP caching: what a CDN or browser may keep.

SHARED_MAX_AGE = 60


def mark_shared(response: HttpResponse) -> None:
    """This page is the same for every resident with the same cookie choice."""
    patch_cache_control(response, public=True, max_age=SHARED_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])


def seconds_until_midnight(now: datetime.datetime | None = None) -> int:
    """Until midnight in Essex, when "today" and "tomorrow" move on."""
    now = timezone.localtime(now)  # TIME_ZONE is Europe/London
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return int((midnight - now).total_seconds())


def seconds_until(*moments: datetime.datetime | None, now: datetime.datetime | None = None) -> int:
    """Seconds until the first of `moments` still ahead, or midnight, whichever is sooner (at
    least 1): how long something that changes at those moments may be kept."""
    now = now or timezone.now()
    seconds = seconds_until_midnight(now)
    for moment in moments:
        if moment is not None and moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()))
    return max(1, seconds)
