"""What tests that start servers of their own share."""

from urllib.parse import quote

from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session


def database_url(settings: dict) -> str:
    """Return the URL of a Django database's settings, for a server started with DATABASE_URL."""
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or settings["OPTIONS"].get("host", "")
    port = settings["PORT"] or ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{settings['NAME']}?host={quote(host)}"
    return f"postgresql://{user}{password}@{host}:{port}/{settings['NAME']}"


def remove_account(user) -> None:
    """Remove an account a test committed for a portal process to log in with, with the
    sessions and login records that process wrote."""
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    AccessLog.objects.filter(username=user.username).delete()
    AccessAttempt.objects.filter(username=user.username).delete()
    user.delete()
