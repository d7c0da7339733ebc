import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the committed fixtures once, with one loaddata call, into the test database."""
    with django_db_blocker.unblock():
        call_command("loaddata", "places", "sources", "records", verbosity=0)
