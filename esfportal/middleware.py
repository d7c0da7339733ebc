import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

request_log = logging.getLogger("esfportal.requests")
outage_log = logging.getLogger("esfportal.outage")

# Seconds a visitor (or a crawler) is asked to wait before trying again during an outage.
OUTAGE_RETRY_AFTER = 30


class FinnishFirstLocaleMiddleware(LocaleMiddleware):
    """Speak Finnish unless the visitor chose Swedish or English with the language switcher.

    The browser's Accept-Language is not consulted: the records are Finnish, and a Finnish
    public service answers in Finnish first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen and translation.check_for_language(chosen) else None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class RequestLogMiddleware:
    """Log one record a request, with its fields as `extra=` for the JSON formatter.

    First in MIDDLEWARE, so the duration covers every other middleware and the status is the
    one sent. The query string is logged by length only: search words and names typed into it
    are the visitors' own, and cookies and headers are never logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "query_length": len(request.META.get("QUERY_STRING", "")),
                "status": response.status_code,
                "duration_ms": duration_ms,
                "bytes": None if response.streaming else len(response.content),
                "user": user_id(request),
                "remote_addr": request.META.get("REMOTE_ADDR", ""),
                "request_id": request.META.get("HTTP_X_REQUEST_ID", ""),
            },
        )
        return response


def user_id(request) -> int | str:
    """Return the signed-in user's id, or "anonymous".

    A request without a session cookie is anonymous without asking the database. With one,
    the user is looked up (usually it already was); when PostgreSQL is down, "unknown".
    """
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return "anonymous"
    try:
        return request.user.pk if request.user.is_authenticated else "anonymous"
    except DatabaseError:
        return "unknown"


class DatabaseOutageMiddleware:
    """Answer 503 with the "service unavailable" page when PostgreSQL cannot be reached.

    Django closes a connection that failed at the end of the request, and checks a kept one
    before reusing it (CONN_HEALTH_CHECKS), so the next request connects afresh: the portal
    recovers by itself when the database is back. The page uses no database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        outage_log.warning("database unreachable: %s", exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
