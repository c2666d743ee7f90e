import pytest
from django.core.exceptions import ImproperlyConfigured

from dichvucong.core.env import env_bool, env_int, env_list, env_secret


def test_booleans_accept_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False


def test_a_value_that_is_not_a_boolean_stops_the_start(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_a_value_that_is_not_an_integer_stops_the_start(monkeypatch):
    monkeypatch.setenv("X_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        env_int("X_NUMBER", 1)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.vn, b.vn,,")
    assert env_list("X_LIST") == ["a.vn", "b.vn"]


def test_a_required_secret_must_be_set(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_secret("X_SECRET", required=True)
    assert env_secret("X_SECRET", required=False, dev_default="dev") == "dev"
