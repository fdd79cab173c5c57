# Production image: gunicorn serves Django; whitenoise serves the static files collected here.
# The same image runs the one-shot migrate/load step, the Celery worker and beat
# (docker-compose.yml builds it once, for the migrate service, and the others reuse it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MINEBAN_VAR_DIR=/app/var \
    LOG_FORMAT=json

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. psycopg2-binary ships its
# own libpq: no compiler or system packages needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin mineban
# The code belongs to root and is only readable by the runtime user: a compromised process
# cannot rewrite it. Only var/ (static files, scratch) and /beat (beat's schedule) are writable.
COPY . .

# Static files are collected at build time. The key and database here exist only for this
# command (settings refuse to start without a SECRET_KEY when DEBUG is off); a running
# container must be given its own SECRET_KEY.
RUN mkdir -p /app/var /beat \
    && DEBUG=0 SECRET_KEY=build-time-collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && chown -R mineban:mineban /app/var /beat

USER mineban
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "manage.py", "healthcheck", "web"]
# Workers: WEB_CONCURRENCY (gunicorn.conf.py, default 3). Access logs are JSON lines.
CMD ["gunicorn", "mineban.wsgi", "-c", "gunicorn.conf.py"]
