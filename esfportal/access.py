"""Who may open each URL of the portal: anyone, or signed-in staff.

Kept in one place so that adding a URL is a deliberate choice: tests/test_access.py walks the
URLconf, fails on a route that is in neither class, and checks that each staff route demands a
staff login and each public one answers anonymously. The hostile-input and personal-data tests
take the public routes from here, and a proxy or CDN rule for the staff area cites
STAFF_PREFIXES.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.urls import URLPattern, URLResolver, get_resolver


class Access(StrEnum):
    PUBLIC = "public"
    STAFF = "staff"


# Every route under these prefixes is for signed-in staff.
STAFF_PREFIXES = ("admin/",)

# The routes anyone may open, by URL name. The admin's login page is the staff area's one door.
PUBLIC_ROUTES = frozenset(
    {
        "projects:home",
        "projects:project-list",
        "projects:project-export",
        "projects:project-detail",
        "projects:organisation-list",
        "projects:organisation-detail",
        "projects:round-list",
        "projects:round-detail",
        "projects:region-list",
        "projects:region-detail",
        "projects:source-list",
        "projects:source-detail",
        "projects:search",
        "projects:statistics",
        "projects:accessibility",
        "projects:health",
        "evaluations:report-list",
        "evaluations:report-detail",
        "evaluations:practice-model-detail",
        "api:project-list",
        "api:project-detail",
        "api:schema",
        "api:docs",
        "set_language",
        "admin:login",
    }
)

# A path parameter as a route writes it ("<slug:slug>"), or as a regex group, named or not.
PARAMETER = re.compile(r"<(?:\w+:)?(?P<route>\w+)>|\((?:\?P<(?P<group>\w+)>)?[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern with the prefixes of the resolvers above it joined in front."""

    route: str  # "hankkeet/<slug:slug>/", "api/^projects/(?P<slug>[^/.]+)/$"
    name: str  # namespaced, "projects:project-detail"; "" for an unnamed pattern
    pattern: URLPattern

    @property
    def access(self) -> Access | None:
        """Return who may open the route, or None for a route nobody has classified yet."""
        if self.name in PUBLIC_ROUTES:
            return Access.PUBLIC
        if self.route.startswith(STAFF_PREFIXES):
            return Access.STAFF
        return None

    @property
    def parameters(self) -> list[str]:
        """Return the names of the path parameters, "" for an unnamed regex group."""
        return [m["route"] or m["group"] or "" for m in PARAMETER.finditer(self.route)]

    def path(self, value: Callable[[str], str]) -> str:
        """Return a path of this route with each parameter filled by value(parameter name)."""
        filled = PARAMETER.sub(lambda m: value(m["route"] or m["group"] or ""), self.route)
        return "/" + re.sub(r"\^|\$|\\Z", "", filled)


def routes(patterns: list | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Yield every URL pattern of the URLconf, the admin's and the API's included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(prefix + str(entry.pattern), name, entry)
