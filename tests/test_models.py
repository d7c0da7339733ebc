"""Invariants the database itself enforces, whoever writes the rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import (
    Decision,
    Organisation,
    OrganisationName,
    Outcome,
    Project,
    validate_business_id,
)

pytestmark = pytest.mark.django_db


def violates(constraint: str):
    return pytest.raises(IntegrityError, match=constraint)


def test_a_project_cannot_end_before_it_starts():
    project = Project.objects.get(code="S21114")
    project.end_date = datetime.date(2017, 1, 1)
    with violates("project_ends_after_start"), transaction.atomic():
        project.save()


def test_two_projects_cannot_share_a_eura_code():
    with violates("project_unique_code"), transaction.atomic():
        Project.objects.create(name="Kopio", slug="kopio", code="S21114")


def test_many_projects_may_have_no_eura_code():
    assert Project.objects.filter(code="").count() >= 2


def test_money_cannot_be_negative():
    with violates("project_money_not_negative"), transaction.atomic():
        Project.objects.filter(code="S21114").update(realised_public_funding=-1)


def test_a_percentage_outcome_cannot_exceed_100():
    outcome = Outcome.objects.filter(unit="percent").first()
    outcome.value = 101
    with violates("outcome_percent_to_100"), transaction.atomic():
        outcome.save()


def test_a_score_cannot_exceed_its_maximum():
    decision = Decision.objects.get(project__slug="kaveria-ei-jateta")
    decision.score = 58
    with violates("decision_score_within_maximum"), transaction.atomic():
        decision.save()


def test_one_name_means_one_organisation_whatever_its_case():
    other = Organisation.objects.exclude(names__name="TAMK").first()
    with violates("organisation_name_unique_ci"), transaction.atomic():
        OrganisationName.objects.create(organisation=other, name="tamk")


@pytest.mark.parametrize("business_id", ["0245437-2", "0112038-9"])
def test_valid_business_ids_pass(business_id):
    validate_business_id(business_id)


@pytest.mark.parametrize(
    ("business_id", "code"), [("0245437-3", "checksum"), ("245437-2", "format"), ("x", "format")]
)
def test_invalid_business_ids_are_refused(business_id, code):
    with pytest.raises(ValidationError) as error:
        validate_business_id(business_id)
    assert error.value.code == code


def test_rows_are_found_again_by_their_natural_keys():
    outcome = Outcome.objects.filter(project__slug="kaveria-ei-jateta").order_by("position")[0]
    assert outcome.natural_key() == ("kaveria-ei-jateta", 1)
    assert Outcome.objects.get_by_natural_key("kaveria-ei-jateta", 1) == outcome
