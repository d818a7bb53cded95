"""The container's health check: asks gunicorn for /healthz the way the load balancer does.

`python -m portal.healthcheck` exits 0 when the portal answers 200 (its database answers too),
1 otherwise. It sends the site's own host name and the proxy's X-Forwarded-Proto header, as
production refuses other host names and redirects plain HTTP to HTTPS. No Django import: it
must stay cheap enough to run every 30 seconds.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")]
    host = next((h.lstrip(".") for h in hosts if h and h != "*"), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed URL)
            return 0 if response.status == 200 else 1
    except (OSError, urllib.error.URLError) as error:
        print(f"/healthz did not answer 200: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
