"""The API fuzzed from its own OpenAPI document (/api/schema/) by schemathesis: every
operation, with generated parameters valid and invalid, answers without a server error and as
the document says. Derandomized and bounded, through the WSGI application, no server."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 50
# What the API is held to. Not schemathesis's positive_data_acceptance: the document types a
# filter such as `round` as any string, and a string that names no funding round is rightly a
# 400, which that check counts as a valid request refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The Host header schemathesis sends to a WSGI application.
HOST = "localhost"

# Loaded when the tests are collected, so that each operation becomes its own test. (The lazy
# loader, schemathesis.pytest.from_fixture, fails on pytest 9: it sets a node's private _nodeid.)
# Building the document reads no records. The application's SecurityMiddleware reads
# SECURE_SSL_REDIRECT when it is built, here: plain HTTP, as in the other tests.
with override_settings(ALLOWED_HOSTS=[HOST], SECURE_SSL_REDIRECT=False):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def served_in_the_tests_transaction(db, settings):
    """Let the application answer schemathesis's Host, and keep the test's transaction (with
    the records) open across requests, as Django's test client does: at the end of a request
    Django would close the connection."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_an_api_operation_answers_as_its_openapi_document_says(case):
    case.call_and_validate(checks=CHECKS)
