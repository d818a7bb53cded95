"""A rate limit like data.police.uk's: a steady rate per client with bursts above it.

The generic cell rate algorithm, one number per client in the shared cache: the time at which
the client's bucket will be empty again (its "theoretical arrival time"). Each request moves it
on by 1/rate seconds; a request that would move it more than burst/rate seconds ahead of now is
refused, and told how long to wait. With a rate of 15 and a burst of 30, a client may send 30
requests at once and then 15 a second, as on police.uk.

Two workers answering the same client at the same instant may both read the old time and let
one request more through than the limit: a limit against abuse, not an exact count.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from portal.clients import client_address

KEY_PREFIX = "api:rate:"


def now() -> float:
    return time.time()


def retry_after(request: HttpRequest) -> int | None:
    """None if the request may go ahead (and counts it), else the seconds to wait."""
    rate = settings.API_RATE_PER_SECOND
    burst = settings.API_RATE_BURST
    interval = 1 / rate
    key = KEY_PREFIX + client_address(request)
    moment = now()
    arrival = max(cache.get(key, moment), moment) + interval
    if arrival - moment > burst * interval + 1e-9:
        return max(1, math.ceil(arrival - moment - burst * interval))
    cache.set(key, arrival, math.ceil(burst * interval) + 1)
    return None
