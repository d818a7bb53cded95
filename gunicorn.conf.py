"""gunicorn settings, from the environment so one image serves any size of host."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak can never take the site down; not so often
# that they spend their time warming up (compiled templates, the parts every page shares).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
accesslog = "-"
errorlog = "-"
# Survey pages are logged without the client's address or browser (the privacy notice says so).
logger_class = "portal.access_log.AccessLogger"
# Only the listed proxies may say the request came over TLS (X-Forwarded-Proto); the portal reads
# the client's address from them too (portal.clients). Never "*".
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "") or "127.0.0.1"


def post_worker_init(worker):
    """Before a worker's first request: build what it keeps for its life (the finder's towns,
    names and positions, teams.place_search, and every postcode's council area and ward with
    their counts by area, teams.areas), so that no visitor waits for it. Then leave everything
    made so far out of the garbage collector's full collections: those walk every object the
    worker holds (Django's modules, templates, the finder's data), 80-160 ms each as measured
    here, and every request queued on the worker waits for them."""
    import gc
    import logging

    from django.db import connections
    from django.urls import get_resolver

    try:
        get_resolver().url_patterns  # noqa: B018  (imports every view)
        from teams import areas
        from teams.place_search import prepare_place_search

        prepare_place_search()
        areas.warm()
    except Exception:  # noqa: BLE001  (a worker that could not prepare still serves)
        logging.getLogger("gunicorn.error").exception("Could not prepare the worker")
    finally:
        connections.close_all()
    gc.freeze()
