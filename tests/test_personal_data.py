"""No contact person's e-mail address, phone number or name anywhere the public can look: every
page reached by following links from the home page, every list with each filter, every record's
page in each language, searches for the people themselves, the API, its OpenAPI document and
the CSV export with every column. The admin, signed in, does show them: the test can see them
where they belong."""

import html
import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse

from projects.exports import COLUMNS
from projects.filters import ProjectFilter
from projects.models import ContactPerson, Project

pytestmark = [pytest.mark.django_db, pytest.mark.version_neutral]

# The crawl follows links until it has seen this many pages: several times the site's size,
# so that a link loop fails the test instead of hanging it.
MAX_PAGES = 3000


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_within_the_site(page: str) -> list[str]:
    parser = Links()
    parser.feed(page)
    paths = []
    for href in parser.hrefs:
        url = urlsplit(href)
        if url.scheme not in ("", "http", "https") or url.netloc not in ("", "testserver"):
            continue
        if url.path.startswith(("/admin/", "/static/")) or not url.path.startswith("/"):
            continue
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def readable_text(response) -> str:
    """Return the body as a person or a program would read it: entities and JSON escapes
    decoded, so that "&#64;" or "\\u00e4" hides nothing."""
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def phone_pattern(phone: str) -> str:
    """Match the number however it is spaced, in national or +358 form."""
    digits = re.sub(r"\D", "", phone)
    national = r"[\s-]?".join(digits)
    international = r"\+358[\s-]?" + r"[\s-]?".join(digits.removeprefix("0"))
    return rf"(?<!\d)(?:{national}|{international})(?!\d)"


def personal_data_patterns() -> dict[str, re.Pattern]:
    """Return, for each contact person's e-mail, phone and name (both ways round, as the slides
    list them), a pattern that finds it in text."""
    patterns = {}
    for person in ContactPerson.objects.all():
        first, _space, last = person.name.partition(" ")
        patterns[person.name] = rf"\b(?:{re.escape(person.name)}|{re.escape(f'{last} {first}')})\b"
        if person.email:
            patterns[person.email] = re.escape(person.email)
        if person.phone:
            patterns[person.phone] = phone_pattern(person.phone)
    return {found: re.compile(pattern, re.IGNORECASE) for found, pattern in patterns.items()}


def crawl(client, start: list[str]) -> dict[str, str]:
    """Return the text of every page reached from the start paths by following links."""
    seen, texts = set(start), {}
    queue = deque(start)
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in (200, 302), f"{path} answered {response.status_code}"
        if response.status_code != 200:
            continue
        texts[path] = readable_text(response)
        if response["Content-Type"].startswith("text/html"):
            for link in links_within_the_site(texts[path]):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        assert len(seen) < MAX_PAGES, "the crawl does not end"
    return texts


def record_pages() -> list[str]:
    """Return the page of every record that has one."""
    return [
        record.get_absolute_url()
        for model in apps.get_models()
        if model._meta.app_label in ("projects", "evaluations")
        and hasattr(model, "get_absolute_url")
        for record in model.objects.all()
    ]


def filtered_lists() -> list[str]:
    """Return the project list with each value of each filter chosen. (The API's lists hold
    the same records as the API's pages of each project.)"""
    lists = []
    form = ProjectFilter().form
    for name, field in form.fields.items():
        if hasattr(field, "queryset"):
            values = [str(getattr(row, field.to_field_name)) for row in field.queryset]
        else:
            values = [str(value) for value, _label in getattr(field, "choices", []) if value]
        for value in values:
            query = urlencode({name: value})
            lists.append(f"/hankkeet/?{query}")
    return lists


def searches_for_the_people() -> list[str]:
    paths = []
    for person in ContactPerson.objects.all():
        for query in filter(None, [person.name, person.email, person.phone]):
            q = urlencode({"q": query})
            paths += [f"/haku/?{q}", f"/hankkeet/?{q}", f"/api/projects/?{q}"]
    return paths


def every_public_text(client) -> dict[str, str]:
    everything = urlencode({"columns": list(COLUMNS)}, doseq=True)
    api = [f"/api/projects/{slug}/" for slug in Project.objects.values_list("slug", flat=True)]
    start = [
        "/",
        *record_pages(),
        *filtered_lists(),
        *searches_for_the_people(),
        "/api/projects/",
        *api,
        "/api/schema/",
        "/api/schema/?format=json",
        "/api/docs/",
        f"/hankkeet.csv?{everything}",
    ]
    texts = crawl(client, list(dict.fromkeys(start)))
    # The next pages of the API's list are links in its JSON, not in HTML.
    page = client.get("/api/projects/").json()
    while page["next"]:
        path = page["next"].removeprefix("http://testserver")
        texts[path] = readable_text(response := client.get(path))
        page = response.json()
    # The pages of the people's projects in Swedish and English too.
    for language in ("sv", "en"):
        client.cookies["django_language"] = language
        for project in Project.objects.filter(contacts__isnull=False).distinct():
            path = project.get_absolute_url()
            texts[f"{path} ({language})"] = readable_text(client.get(path))
    return texts


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def echoes_the_search(path: str, found: str) -> bool:
    """Return whether a detail is made of the words the visitor searched for: a search page
    repeats the query ("hilkka pirhonen pksotu fi" for an e-mail address), which is no leak."""
    searched = words(" ".join(parse_qs(urlsplit(path).query).get("q", [])))
    return words(found) <= searched


def test_the_records_have_seventeen_contact_people():
    assert ContactPerson.objects.count() == 17


def test_no_public_page_the_api_or_the_export_shows_a_contact_persons_details(client):
    patterns = personal_data_patterns()
    texts = every_public_text(client)
    assert len(texts) > 500  # the crawl reached the whole site, not just the home page
    leaks = [
        f"{path}: {found}"
        for path, text in texts.items()
        for found, pattern in patterns.items()
        if not echoes_the_search(path, found) and pattern.search(text)
    ]
    assert not leaks


def test_the_admin_shows_the_contact_persons_details_to_staff(client):
    client.force_login(User.objects.create(username="root", is_staff=True, is_superuser=True))
    patterns = personal_data_patterns()
    changelist = readable_text(client.get(reverse("admin:projects_contactperson_changelist")))
    project = Project.objects.get(slug="pakolaistaustaisten-ohjaus")
    change_page = readable_text(
        client.get(reverse("admin:projects_project_change", args=[project.pk]))
    )
    assert [found for found, pattern in patterns.items() if not pattern.search(changelist)] == []
    assert all(
        pattern.search(change_page)
        for person in project.contacts.all()
        for found, pattern in patterns.items()
        if found in (person.name, person.email, person.phone)
    )
