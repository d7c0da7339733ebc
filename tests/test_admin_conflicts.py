"""Two staff editing the same record: the second save never silently overwrites the first."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from projects.models import Outcome, Project
from tests.test_admin_permissions import SLUG, change_url, form_data, staff_user

pytestmark = pytest.mark.django_db


def editor_client(username: str) -> Client:
    """An editor who chose English with the language switcher."""
    client = Client()
    client.force_login(staff_user(username, "editor"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def project():
    return Project.objects.get(slug=SLUG)


def opened(client, record) -> dict:
    """Open a record's change page and return the form as shown."""
    return form_data(client.get(change_url(record)))


def errors_of(response) -> list[str]:
    return response.context["adminform"].form.non_field_errors()


def test_the_second_of_two_editors_is_told_who_saved_first_and_nothing_is_overwritten(project):
    anna, ben = editor_client("anna"), editor_client("ben")
    annas_form, bens_form = opened(anna, project), opened(ben, project)

    anna.post(change_url(project), annas_form | {"end_date": "2018-12-31"})
    response = ben.post(change_url(project), bens_form | {"name": "Bennin nimi"})

    assert response.status_code == 200
    (message,) = errors_of(response)
    assert message.startswith("anna changed “S21114 Kummin kanssa työkokeiluun” at ")
    assert "Nothing was saved" in message
    project.refresh_from_db()
    assert (project.end_date, project.name) == (
        datetime.date(2018, 12, 31),
        "Kummin kanssa työkokeiluun",
    )


def test_a_change_to_an_inline_row_also_stops_a_stale_save():
    kaiku = Project.objects.get(slug="kaiku")
    outcome = kaiku.outcomes.order_by("position").first()
    anna, ben = editor_client("anna"), editor_client("ben")
    annas_form, bens_form = opened(anna, kaiku), opened(ben, kaiku)
    prefix = next(key for key, value in annas_form.items() if value == outcome.pk)[: -len("-id")]

    anna.post(change_url(kaiku), annas_form | {f"{prefix}-value": "99"})
    response = ben.post(change_url(kaiku), bens_form | {"notes": "Bennin huomautus"})

    (message,) = errors_of(response)
    assert message.startswith("anna changed “participants 99.00 persons” at ")
    assert Outcome.objects.get(pk=outcome.pk).value == 99
    assert Project.objects.get(pk=kaiku.pk).notes != "Bennin huomautus"


def test_a_change_by_a_script_is_named_as_such(project):
    anna = editor_client("anna")
    annas_form = opened(anna, project)
    project.end_date = datetime.date(2019, 1, 31)
    project.save()  # outside a request: no user, as the import's updates

    response = anna.post(change_url(project), annas_form | {"name": "Annan nimi"})

    (message,) = errors_of(response)
    assert "by an import or a script after you opened this page" in message
    assert Project.objects.get(pk=project.pk).name == "Kummin kanssa työkokeiluun"


def test_an_editor_saves_again_after_reopening_the_record(project):
    anna = editor_client("anna")
    first = anna.post(change_url(project), opened(anna, project) | {"end_date": "2018-12-31"})
    second = anna.post(change_url(project), opened(anna, project) | {"name": "Annan nimi"})

    assert (first.status_code, second.status_code) == (302, 302)
    project.refresh_from_db()
    assert (project.end_date, project.name) == (datetime.date(2018, 12, 31), "Annan nimi")
