"""Structured logs: one JSON object per line, naming the request it belongs to.

``LOG_FORMAT=json`` (the production image sets it) turns it on; the default stays the plain
text a developer reads in a terminal.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by mineban.middleware.RequestIdMiddleware for the length of a request.
request_id_var: ContextVar[str] = ContextVar("mineban_request_id", default="")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
