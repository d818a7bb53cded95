"""gunicorn's access log, keeping the surveys' promise (see the privacy notice).

Survey answers are anonymous: no IP address or browser is kept with them. So for the survey
pages the access log leaves out the client's address, user agent, referrer and every other
request header; the line keeps the time, the request, the status and the size only.

Loaded by gunicorn (gunicorn.conf.py) in the master process, before Django: no Django here.
"""

from gunicorn.glogging import Logger

SURVEY_PATHS = ("/surveys/",)
LEFT_OUT = "-"


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if environ.get("PATH_INFO", "").startswith(SURVEY_PATHS):
            for name in ("h", "u", "f", "a"):
                atoms[name] = LEFT_OUT
            for name in list(atoms):
                if name.endswith(("}i", "}e")):  # request headers and the WSGI environment
                    atoms[name] = LEFT_OUT
        return atoms
