"""Hostile query strings against every public GET route (esfportal.access): random and nasty
parameters, and path parameters both real and garbage, never make a server error, never send
a visitor off the site, and nothing sent comes back unescaped in a page.

Bounded for CI: derandomized (the same examples on every run), no example database, and per
route a fixed list of explicit requests (EXPLICIT_QUERIES, garbage path parameters) followed by
a fixed number of random ones: about fifty requests a route, the file within a minute.
"""

from urllib.parse import quote, quote_plus, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from esfportal.access import Access, routes
from evaluations.models import PracticeModel, Report
from projects.exports import COLUMNS
from projects.filters import ProjectFilter
from projects.models import (
    FundingRound,
    Municipality,
    Organisation,
    Project,
    Region,
    SourceDocument,
    TargetGroup,
)

pytestmark = pytest.mark.django_db

PUBLIC = [route for route in routes() if route.access == Access.PUBLIC]
EXAMPLES = 25
# The OpenAPI document takes half a second to build and reads no parameter but `format` and
# `lang`: its explicit requests are enough.
FEWER_EXAMPLES = {"api:schema": 1, "api:docs": 10}

# Markup that would run if a page echoed it unescaped; each names `h4x`, which no page contains.
INJECTIONS = {
    "<script>h4x()</script>": "<script>h4x",
    '"><img src=x onerror=h4x()>': '"><img src=x onerror=h4x',
    "'><svg/onload=h4x()>": "'><svg/onload=h4x",
    '" autofocus onfocus=h4x() x="': '" autofocus onfocus=h4x',
    "</textarea><h4x-tag>": "<h4x-tag>",
    "javascript:h4x()": 'href="javascript:h4x',
}
NASTY = [
    *INJECTIONS,
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: UTF-8 cannot encode it, so it is sent as %ED%A0%80
    "\udfff",
    "\u202etxet\u202c",  # right-to-left override
    "\u200f\u200e",  # right-to-left and left-to-right marks
    "\ufeff",
    "👩‍👩‍👧‍👦🇫🇮",
    "e\u0301\u0301\u0301",
    "x" * 10_240,
    "työllistyminen " * 700,
    "' OR '1'='1",
    "'; DROP TABLE projects_project; --",
    "1 UNION SELECT password FROM auth_user--",
    "%",
    "\\",
    '"',
    "../../../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "\r\nSet-Cookie: h4x=1",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 40,
    "-9223372036854775809",
    "1000000000",
    "0x1F",
    "2024-02-30",
    "9999-99-99",
    '"tyollistyminen',
    "-",
    "*",
    " ",
]
# Percent-encodings that decode to nothing valid: truncated, not hex, overlong, surrogates.
MALFORMED = ["%", "%%", "%2", "%zz", "%E2%82", "%ED%A0%80", "%C0%AF", "%FF%FE", "%00", "%%32%35"]
PARAMETERS = [*ProjectFilter.base_filters, "page", "columns", "next", "language", "format", "lang"]


def real_values() -> list[str]:
    """Return values the filters and path parameters would accept, from the records."""
    slugs = [
        *FundingRound.objects.values_list("slug", flat=True),
        *Organisation.objects.values_list("slug", flat=True)[:20],
        *TargetGroup.objects.values_list("slug", flat=True),
        *Region.objects.values_list("code", flat=True),
        *Municipality.objects.values_list("code", flat=True)[:20],
        *Project.objects.values_list("slug", flat=True),
    ]
    return [*slugs, *Project.Status.values, *COLUMNS, "fi", "sv", "en", "json", "yaml"]


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def query_strings(known: list[str]) -> st.SearchStrategy[str]:
    """Return raw query strings as a browser, a script or an attacker might send them."""
    text = st.text(st.characters(exclude_categories=()), max_size=40)
    numbers = st.integers(-(10**30), 10**30).map(str) | st.floats().map(str)
    value = st.sampled_from(NASTY) | st.sampled_from(known) | text | numbers
    encoded = (
        value.map(lambda v: quote(utf8(v), safe=""))
        | value.map(lambda v: quote_plus(utf8(v)))
        | value.map(lambda v: utf8(v).decode("latin-1"))  # raw bytes, unencoded
        | st.sampled_from(MALFORMED)
    )
    name = st.sampled_from(PARAMETERS) | encoded
    pair = st.tuples(name, st.sampled_from(["=", "", "=="]), encoded).map("".join)
    repeated = st.tuples(st.sampled_from(PARAMETERS), st.lists(encoded, min_size=2, max_size=30))
    pairs = st.lists(pair, max_size=8) | repeated.map(lambda r: [f"{r[0]}={v}" for v in r[1]])
    separators = st.sampled_from(["&", "&", "&&", ";"])  # Django splits on "&" only
    return st.tuples(separators, pairs).map(lambda s: s[0].join(s[1]))


def garbage_segments() -> st.SearchStrategy[str]:
    """Return path parameters no record has: nasty strings and random text, percent-encoded."""
    text = st.text(st.characters(exclude_categories=()), min_size=1, max_size=30)
    return (st.sampled_from(NASTY) | text).map(lambda v: quote(utf8(v), safe=""))


def assert_answered_safely(response, body: bytes, path: str, query_string: str):
    sent = f"GET {path}?{query_string!r}"
    assert response.status_code < 500, f"{sent} answered {response.status_code}"
    if 300 <= response.status_code < 400:
        target = urlsplit(response["Location"])
        assert target.scheme in ("", "http", "https"), sent
        assert target.netloc in ("", "testserver"), f"{sent} sent the visitor off the site"
    if not response["Content-Type"].startswith("text/html"):
        return
    page = body.decode()
    for injection, core in INJECTIONS.items():
        assert core not in page, f"{sent}: {injection!r} came back unescaped"
    for name, values in QueryDict(query_string.encode("latin-1")).lists():
        for text in [name, *values]:
            # Shorter fragments ("<p>", "<a h") are in every page anyway.
            if "<" in text and len(text) >= 6:
                assert text not in page, f"{sent}: {text!r} came back unescaped"


def get(path: str, query_string: str, language: str):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(path, QUERY_STRING=query_string)
    return response, b"".join(response) if response.streaming else response.content


# The record each detail route shows, by the route's parameter.
DETAIL_MODELS = {
    "projects:project-detail": Project,
    "api:project-detail": Project,
    "projects:organisation-detail": Organisation,
    "projects:round-detail": FundingRound,
    "projects:region-detail": Region,
    "projects:source-detail": SourceDocument,
    "evaluations:report-detail": Report,
    "evaluations:practice-model-detail": PracticeModel,
}
# Tried first on every route, whatever the random examples turn out to be.
EXPLICIT_QUERIES = [
    "q=-",
    "q=%22",
    "q=*&sort=relevance",
    "q=%00",
    "q=%ED%A0%80",
    "q=" + "x" * 10_240,
    "q=%3Cscript%3Eh4x()%3C/script%3E",
    "page=0",
    "page=-1",
    "page=" + "9" * 30,
    "round=%00&region=%00",
    "year_from=1e309&year_to=NaN&money_min=-1&money_max=Infinity",
    "sort=%22%3E%3Cimg+src=x+onerror=h4x()%3E",
    "columns=%3Ch4x-tag%3E&columns=code&columns=code",
    "next=//evil.example/&next=javascript:h4x()",
    "format=yaml&lang=xx",
]


def real_values_of(route) -> list[str]:
    (parameter,) = route.parameters
    model = DETAIL_MODELS[route.name]
    return [str(value) for value in model.objects.order_by("pk").values_list(parameter, flat=True)]


def paths(route) -> st.SearchStrategy[str]:
    """Return paths of the route, its parameter filled with real values or with garbage."""
    if not route.parameters:
        return st.just(route.path(lambda _: ""))
    values = st.sampled_from(real_values_of(route)) | garbage_segments()
    return values.map(lambda value: route.path(lambda _: value))


def explicit_requests(route) -> list[tuple[str, str]]:
    """Return the (path, query string) pairs every run tries first."""
    if not route.parameters:
        return [(route.path(lambda _: ""), query_string) for query_string in EXPLICIT_QUERIES]
    real = route.path(lambda _: real_values_of(route)[0])
    garbage = [route.path(lambda _, v=value: v) for value in ("%00", "%ED%A0%80", "..", "-1")]
    return [(real, q) for q in EXPLICIT_QUERIES] + [(path, "") for path in garbage]


@pytest.mark.version_neutral
@pytest.mark.parametrize("route", PUBLIC, ids=lambda route: route.name)
def test_a_public_route_survives_hostile_query_strings(route):
    @settings(
        max_examples=FEWER_EXAMPLES.get(route.name, EXAMPLES),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        path=paths(route),
        query_string=query_strings(real_values()),
        language=st.sampled_from(["fi", "sv", "en"]),
    )
    def answers_safely(path, query_string, language):
        response, body = get(path, query_string, language)
        assert_answered_safely(response, body, path, query_string)

    for path, query_string in explicit_requests(route):
        answers_safely = example(path=path, query_string=query_string, language="fi")(
            answers_safely
        )
    answers_safely()
