"""A rate limit like data.police.uk's: a steady rate per client with bursts above it.

The generic cell rate algorithm (`portal.throttle.wait_for_turn`), one number per client in the
shared cache: the time at which the client's bucket will be empty again (its "theoretical
arrival time"). Each request moves it on by 1/rate seconds; a request that would move it more
than burst/rate seconds ahead of now is refused, and told how long to wait. With a rate of 15 and
a burst of 30, a client may send 30 requests at once and then 15 a second, as on police.uk. On
Redis the check and the count are one round trip, and every worker counts the same number.
"""

import time

from django.conf import settings
from django.http import HttpRequest

from portal.cache import GENERATION_KEY, generation_read
from portal.clients import client_address
from portal.throttle import client_key, wait_for_turn


def now() -> float:
    return time.time()


def retry_after(request: HttpRequest) -> int | None:
    """None if the request may go ahead (and counts it), else the seconds to wait. The cache
    generation every answer's key holds is read in the same round trip."""
    wait, current = wait_for_turn(
        client_key("api", client_address(request)),
        rate=settings.API_RATE_PER_SECOND,
        burst=settings.API_RATE_BURST,
        now=now(),
        read=GENERATION_KEY,
    )
    generation_read(current)
    return wait
