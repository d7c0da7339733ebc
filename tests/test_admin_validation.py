"""Each validation rule, as staff meet it in the admin: a clear message next to the field, and
nothing saved."""

import pytest
from django.urls import reverse

from projects.models import Decision, Outcome, Project
from tests.test_admin_permissions import SLUG, change_url, form_data, post_change, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, settings):
    """An editor who chose English with the language switcher."""
    client.force_login(staff_user("eero", "editor"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def field_errors(response) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


def test_a_project_cannot_end_before_it_starts(editor):
    project = Project.objects.get(slug=SLUG)
    response = post_change(editor, project, start_date="2018-05-01", end_date="2018-04-30")
    assert field_errors(response) == {"end_date": ["The end date cannot be before the start date."]}
    assert Project.objects.get(pk=project.pk).end_date.isoformat() == "2018-09-30"


def test_a_eura_code_is_a_letter_and_five_or_six_digits(editor):
    response = post_change(editor, Project.objects.get(slug=SLUG), code="S2111")
    assert field_errors(response) == {
        "code": ["A EURA code is a capital letter and five or six digits, e.g. S21114."]
    }


def test_a_percentage_stays_between_0_and_100(editor):
    outcome = Outcome.objects.exclude(unit=Outcome.Unit.PERCENT).first()
    response = post_change(editor, outcome, unit="percent", value="101")
    assert field_errors(response) == {"value": ["A percentage must be between 0 and 100."]}


def test_a_score_cannot_exceed_the_maximum(editor):
    decision = Decision.objects.get(project__slug="kaveria-ei-jateta")
    response = post_change(editor, decision, score="58")
    assert field_errors(response) == {
        "score": ["The score cannot be higher than the maximum score, 57."]
    }


def budget_line_field(data: dict, label: str, field: str) -> str:
    """Return the posted name of a field of the budget line with the label."""
    prefix = next(key for key, value in data.items() if value == label)[: -len("-label")]
    return f"{prefix}-{field}"


def test_budget_lines_must_add_up_to_their_total_line(editor):
    decision = Decision.objects.get(project__slug="kaveria-ei-jateta")
    url = change_url(decision)
    data = form_data(editor.get(url))
    data[budget_line_field(data, "Palkkakustannukset", "applied")] = "154728.00"

    response = editor.post(url, data)

    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model._meta.model_name == "moneyline"
    )
    assert formset.non_form_errors() == [
        "The applied amounts of the cost estimate add up to 216,619.00 €, "
        "but its total line says 216,618.00 €."
    ]
    assert decision.money_lines.get(position=1, section="cost").applied == 154727


def test_budget_lines_that_add_up_are_saved(editor):
    decision = Decision.objects.get(project__slug="kaveria-ei-jateta")
    url = change_url(decision)
    data = form_data(editor.get(url))
    data[budget_line_field(data, "Palkkakustannukset", "applied")] = "154728.00"
    data[budget_line_field(data, "Nettokustannusarvio yhteensä", "applied")] = "216619.00"

    assert editor.post(url, data).status_code == 302
    assert decision.money_lines.get(is_total=True, section="cost").applied == 216619


def test_a_budget_section_has_one_total_line_at_most(editor):
    decision = Decision.objects.get(project__slug="kaveria-ei-jateta")
    url = change_url(decision)
    data = form_data(editor.get(url))
    data[budget_line_field(data, "Palkkakustannukset", "is_total")] = "on"

    response = editor.post(url, data)

    assert "The cost estimate has more than one total line." in response.text
    assert reverse("admin:projects_decision_changelist") not in response.get("Location", "")
