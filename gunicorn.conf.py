"""gunicorn settings for the production image (``gunicorn -c gunicorn.conf.py``)."""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# One JSON object per request, naming the request id the application logged under. (No
# user agent: gunicorn does not escape quotes, and a quote would break the line's JSON.)
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "query": "%(q)s", "status": "%(s)s", '
    '"bytes": "%(B)s", "duration_ms": "%(M)s", "remote": "%(h)s"}'
)
# No control socket: nothing here uses gunicornc, and a container user may have no home for it.
control_socket_disable = True
