"""What tests that start servers of their own share."""

from urllib.parse import quote


def database_url(settings: dict) -> str:
    """Return the URL of a Django database's settings, for a server started with DATABASE_URL."""
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or settings["OPTIONS"].get("host", "")
    port = settings["PORT"] or ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{settings['NAME']}?host={quote(host)}"
    return f"postgresql://{user}{password}@{host}:{port}/{settings['NAME']}"
