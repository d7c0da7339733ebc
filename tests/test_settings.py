import pytest
from django.core.exceptions import ImproperlyConfigured

from esfportal.env import env_bool, env_int, env_list, env_str


def test_env_bool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_a_missing_required_value_names_the_variable(monkeypatch):
    monkeypatch.delenv("SECRET_KEY_FOR_TEST", raising=False)
    with pytest.raises(
        ImproperlyConfigured, match="Set the environment variable SECRET_KEY_FOR_TEST"
    ):
        env_str("SECRET_KEY_FOR_TEST")
