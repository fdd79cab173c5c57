# Production image: gunicorn serves Django; whitenoise serves the static files collected here.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MINEBAN_VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. psycopg2-binary ships its
# own libpq: no compiler or system packages needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin mineban
COPY --chown=mineban:mineban . .

# Static files are collected at build time. The key and database here exist only for this
# command (settings refuse to start without a SECRET_KEY when DEBUG is off); a running
# container must be given its own SECRET_KEY.
RUN mkdir -p /app/var \
    && DEBUG=0 SECRET_KEY=build-time-collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && chown mineban:mineban /app && chown -R mineban:mineban /app/var

USER mineban
EXPOSE 8000
# Workers: gunicorn reads WEB_CONCURRENCY (default 1); set it in the environment.
CMD ["gunicorn", "mineban.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
