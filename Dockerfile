# The portal's image: gunicorn serving the portal (static files by whitenoise); the same image
# runs the one-off `first_run` and the scheduler (see docker-compose.yml). It ships the postcode
# extract in data/ (POSTCODE_FILE). scripts/deploy_check.sh checks these steps without Docker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.prod

WORKDIR /app
RUN useradd --create-home --uid 10001 portal

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# collectstatic needs production settings that import cleanly: every required variable is set,
# to values that exist only for this build step (nothing here connects to them).
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-collectstatic-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://collectstatic@localhost/unused \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["python", "-m", "portal.healthcheck"]
CMD ["gunicorn", "portal.wsgi", "--config", "gunicorn.conf.py"]
