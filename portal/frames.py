"""Pages joined from pieces drawn once per process, for the requests that share them.

Most of what a drawn page costs is drawing templates: base.html (the head, the cookie banner,
the header, the footer) and the page's own template. For a request `for_everyone` shares (no
session, no message waiting), base.html holds nothing of the request's own: it depends only on
the cookie choice and the page's path (the banner's form returns to it, the header marks its
section). And much of a page's own part is the same for everyone too (a team's page, the
finder's answer for a council), but for a few values of the request's own (the postcode typed,
"Your team for ..."). So such a template is drawn once per process with a stand-in in each place
a request's own value goes (`drawn_in_pieces`), kept in pieces cut at the stand-ins, and each
request joins the pieces with its own values (`joined`): escaped and encoded by the view as the
template would have shown them. The page is the same, to the byte, as
the template drawn whole (tests check each view that does this).

The pieces are kept encoded (UTF-8): a page with a curly quote or a dash is held by Python at
two or four bytes a character, and encoding 30 KB took a request longer than joining it.

Never for a request that does not share pages: a message waiting or a session (a signed-in
member of staff) changes base.html. Keys name known objects only, never text a visitor typed.
"""

import re
import secrets
from collections.abc import Callable, Iterable, Mapping

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .cache import digest, drawn_here
from .cookies import consent_from_request

# A stand-in is a slot's name, after a number drawn afresh for each drawing, between two of
# these: a character of Unicode's private use area, which no template of ours holds. Text of
# the page's own (a team's description) cannot hold that drawing's number, so it can never be
# taken for a slot, whatever it holds.
MARK = "\ue000"

Pieces = tuple[bytes | str, ...]  # text (encoded), slot name, text, ..., text
Context = Mapping[str, object] | Callable[[Mapping[str, SafeString]], Mapping[str, object]]


def drawn_in_pieces(
    template_name: str,
    context: Context,
    slots: Iterable[str],
    *,
    request: HttpRequest | None = None,
    encoded: bool = True,
) -> Pieces:
    """`template_name` drawn from `context` with each of `slots` (names of its variables) given
    a stand-in, cut at the stand-ins: the text between them encoded (left as text when not
    `encoded`: a part of another template), and the slots' names. `context` may be a function
    of the stand-ins ({slot: stand-in}), for a template that is to show one elsewhere (an
    attribute of an object it is given)."""
    number = secrets.token_hex(8)
    stand_ins = {slot: mark_safe(f"{MARK}{number}:{slot}{MARK}") for slot in slots}  # noqa: S308
    if callable(context):
        context = context(stand_ins)
    drawn = render_to_string(template_name, {**context, **stand_ins}, request=request)
    pieces = re.split(f"{MARK}{number}:(\\w+){MARK}", drawn)
    if not encoded:
        return tuple(pieces)
    return tuple(piece if at % 2 else piece.encode() for at, piece in enumerate(pieces))


def joined(pieces: Pieces, values: Mapping[str, bytes]) -> bytes:
    """The page: `pieces` with each slot's value (escaped and encoded by the caller, as the
    template would have shown it) in its place."""
    return b"".join(values[piece] if at % 2 else piece for at, piece in enumerate(pieces))


def page_frame(
    request: HttpRequest,
    template_name: str,
    context: Context,
    *,
    slots: tuple[str, ...],
    name: str,
    seconds: int,
) -> Pieces:
    """`template_name` (a page's template, which extends base.html) drawn in pieces for
    `request` (`drawn_in_pieces`), kept in this process for `seconds` under `name`, the cookie
    choice and the path, so `context` must hold nothing but what those name. `name` says what
    the page is (a known object, never text a visitor typed); made with portal.cache.key() when
    the frame shows content (a team's name in its title), so that it follows the generation.
    A frame of base.html alone (settings, addresses and static files, which change only with a
    new process) needs no generation: a constant name keeps it without reading one."""
    key = f"{name}:{consent_from_request(request)}:{digest(request.path)}"
    return drawn_here(
        key,
        max(0, seconds),
        lambda: drawn_in_pieces(template_name, context, slots, request=request),
    )
