"""base.html drawn around a page once per process, for the requests that share it.

Most of what a drawn page costs is base.html: the head, the cookie banner, the header, the
footer. For a request `for_everyone` shares (no session, no message waiting), base.html holds
nothing of the request's own: it depends only on the cookie choice and the page's path (the
banner's form returns to it, the header marks its section). So a view whose own part is drawn
for each request (the finder's answer, a team's page for a resident arriving from the finder)
can draw its template once per process with a marker in each place its own text goes, keep the
pieces between the markers, encoded, under the cookie choice and the path, and for each request
join them with its own parts. (Encoded once: a page with a curly quote or a dash is held by
Python as two or four bytes a character, and encoding it took a request longer than joining
it.) The page is the same, to the byte, as the template drawn whole (tests check each view
that does this).

Never for a request that does not share pages: a message waiting or a session (a signed-in
member of staff) changes base.html.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .cache import digest, drawn_here
from .cookies import consent_from_request


def page_frame(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, object],
    *,
    slots: tuple[str, ...],
    name: str,
    seconds: int,
) -> tuple[bytes, ...]:
    """`template_name` drawn for `request` from `context` with each of `slots` (names of its
    context variables) set to a marker, cut at the markers and encoded in UTF-8: one piece more
    than there are slots. Kept in this process for `seconds` under `name`, the cookie choice
    and the path, so `context` must hold nothing but what those name. `name` says what the
    page is (a known object, never text a visitor typed); made with portal.cache.key() when
    the frame shows content (a team's name in its title), so that it follows the generation.
    A frame of base.html alone (settings, addresses and static files, which change only with a
    new process) needs no generation: a constant name keeps it without reading one."""

    def draw() -> tuple[bytes, ...]:
        markers = {slot: mark_safe(f"<!-- {slot} -->") for slot in slots}  # noqa: S308
        rest = render_to_string(template_name, {**context, **markers}, request=request)
        pieces = []
        for slot, marker in markers.items():
            before, found, rest = rest.partition(marker)
            if not found or marker in rest:
                raise ImproperlyConfigured(f"{template_name} must show {slot} exactly once")
            pieces.append(before.encode())
        return (*pieces, rest.encode())

    key = f"{name}:{consent_from_request(request)}:{digest(request.path)}"
    return drawn_here(key, max(0, seconds), draw)
