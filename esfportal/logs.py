"""Log records as one JSON object a line, for a log collector to read without parsing text.

Settings' LOGGING gives every record of the portal this formatter: Django's, the libraries'
and the request log's (esfportal.middleware.RequestLogMiddleware). gunicorn's own few lines
(start-up, worker restarts) keep its text format.
"""

import json
import logging
from datetime import UTC, datetime

# The attributes every LogRecord has; anything else on a record came in through `extra=`.
# Django passes the request object along with its own records: left out, since its text
# repeats the query string, which the request log keeps out on purpose.
LEFT_OUT = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    """Format a record as JSON: time, level, logger, message, the `extra=` fields, and the
    traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {key: value for key, value in vars(record).items() if key not in LEFT_OUT}
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
