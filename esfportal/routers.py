"""Send reads to the streaming read replica, and keep a request on the primary once it must
see its own writes.

Installed only when DATABASE_REPLICA_URL is set (settings.py); without a replica every query
goes to "default" as before. A replica lags the primary by a moment, so these read from the
primary too (docs/deployment.md, "read-your-writes"):

- requests that are not GET, HEAD or OPTIONS, and everything in the admin;
- requests that carry a session cookie: only signed-in staff have a session, and the session
  row written at sign-in may not have reached the replica yet;
- queries inside a transaction, and every read after a write in the same request (or, outside
  requests, in the same thread).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.urls import reverse

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


class PrimaryReplicaRouter:
    """Reads to the replica unless pinned to the primary; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        if pinned_to_primary.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        pinned_to_primary.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same database, so any two rows may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReadYourWritesMiddleware:
    """Pin a request to the primary when it may write or must see what it wrote just before.

    The pin ends with the response, so the next request on this thread starts unpinned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = pinned_to_primary.set(self.needs_primary(request))
        try:
            return self.get_response(request)
        finally:
            pinned_to_primary.reset(token)

    @staticmethod
    def needs_primary(request) -> bool:
        return (
            request.method not in SAFE_METHODS
            or request.path.startswith(reverse("admin:index"))
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        )
