"""Structured logs: one JSON object per line, naming the request."""

import json
import logging

from mineban.logs import JsonFormatter, RequestIdFilter, request_id_var


def _line(message: str, *args: object) -> dict[str, object]:
    record = logging.LogRecord("mineban.test", logging.WARNING, __file__, 1, message, args, None)
    RequestIdFilter().filter(record)
    formatted = JsonFormatter().format(record)
    assert "\n" not in formatted
    return json.loads(formatted)


def test_a_log_line_inside_a_request_names_the_request() -> None:
    token = request_id_var.set("req-1997")
    try:
        line = _line("recompute of %s took %d ms", "UKR", 21)
    finally:
        request_id_var.reset(token)
    assert line["message"] == "recompute of UKR took 21 ms"
    assert line["request_id"] == "req-1997"
    assert line["level"] == "WARNING"
    assert line["logger"] == "mineban.test"


def test_a_log_line_outside_a_request_has_no_request_id() -> None:
    line = _line('a "quoted"\nmessage')
    assert line["message"] == 'a "quoted"\nmessage'
    assert "request_id" not in line
