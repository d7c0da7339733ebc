"""The visitors of the load test; scripts/loadtest.py starts gunicorn and runs locust on this.

Each visitor reads a page for a few seconds, then does one of: open the home page; browse the
project list with filters and a sort, page on, and open a project found there (sometimes its
organisation too); search with a common word, a rare one or a misspelling and open a hit; list
projects through the API; export a filtered list as CSV. The filter values and the exports (a
few thousand rows each) come from the database: loadtest.py chooses them and passes them in
the JSON file named by LOADTEST_PLAN. Requests are named by kind, so the figures are per kind.
"""

import html
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
SEARCHES = {
    "search, common word": ["koulutus", "maahanmuuttajat", "työllistyminen", "nuoret"],
    "search, rare word": ["kielisalkku", "vertaismentorointi", "kotoutumiskoulutus"],
    "search, misspelling": ["tyollistyminen", "maahanmuutajat", "kotoutumnen", "koulutuss"],
}
SORTS = ["name", "-start", "start", "-money"]
PROJECT_LINK = re.compile(r'href="(/hankkeet/[^"/?#]+/)"')
ORGANISATION_LINK = re.compile(r'href="(/organisaatiot/[^"/?#]+/)"')
NEXT_PAGE_LINK = re.compile(r'rel="next" href="([^"]+)"')


def some_filters() -> dict[str, str]:
    """Return one to three filters with values that exist, and sometimes a sort."""
    choices = {
        "round": PLAN["rounds"],
        "region": PLAN["regions"],
        "status": PLAN["statuses"],
        "target_group": PLAN["target_groups"],
    }
    names = random.sample(list(choices), random.randint(1, 3))
    filters = {name: random.choice(choices[name]) for name in names}
    if random.random() < 0.3:
        filters["sort"] = random.choice(SORTS)
    return filters


class Visitor(FastHttpUser):
    wait_time = between(2, 8)

    @task(2)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def browse(self):
        if random.random() < 0.1:
            page = random.randint(1, PLAN["last_page"])
            listing = self.client.get(f"/hankkeet/?page={page}", name="list, deep page")
        else:
            query = urlencode(some_filters())
            listing = self.client.get(f"/hankkeet/?{query}", name="list, filtered")
            next_page = NEXT_PAGE_LINK.search(listing.text or "")
            if next_page and random.random() < 0.4:
                self.wait()
                address = "/hankkeet/" + html.unescape(next_page.group(1))
                listing = self.client.get(address, name="list, next page")
        self.open_a_project_from(listing)

    @task(6)
    def search(self):
        kind, words = random.choice(list(SEARCHES.items()))
        query = urlencode({"q": random.choice(words)})
        self.open_a_project_from(self.client.get(f"/hankkeet/?{query}", name=kind))

    @task(1)
    def search_page(self):
        query = urlencode({"q": random.choice(SEARCHES["search, common word"])})
        self.client.get(f"/haku/?{query}", name="search page")

    @task(2)
    def api_list(self):
        if random.random() < 0.5:
            query = urlencode(some_filters())
        else:
            query = urlencode({"page": random.randint(1, min(PLAN["last_page"], 20))})
        self.client.get(f"/api/projects/?{query}", name="API list")

    @task(1)
    def export(self):
        query = urlencode(random.choice(PLAN["exports"]), doseq=True)
        self.client.get(f"/hankkeet.csv?{query}", name="CSV export")

    def open_a_project_from(self, listing) -> None:
        """Read the list a while, open one of its projects, and sometimes its organisation."""
        projects = PROJECT_LINK.findall(listing.text or "")
        if not projects:
            return
        self.wait()
        project = self.client.get(random.choice(projects), name="project")
        organisations = ORGANISATION_LINK.findall(project.text or "")
        if organisations and random.random() < 0.3:
            self.wait()
            self.client.get(random.choice(organisations), name="organisation")
