"""scripts/admin_benchmark.py, whose figures ADR 4 gives: it times every list it names,
unsearched and searched, and each answers. It asserts no time."""

import pytest

from scripts import admin_benchmark

pytestmark = pytest.mark.django_db


def test_the_admin_benchmark_requests_each_list_unsearched_and_searched(admin_client):
    rows = admin_benchmark.timings(admin_client, repeat=1)
    searches = ["", "S21114", "maahanmuuttajat", "kielisalkku"]
    assert [(model, term) for model, term, *_ in rows] == [
        (model, term) for model in admin_benchmark.LISTS for term in searches
    ]
    assert {status for _model, _term, status, *_ in rows} == {200}
