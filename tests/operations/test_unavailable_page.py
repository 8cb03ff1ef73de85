"""A page asked for while the database or Redis is not answering: a 503 that says so in plain
words and when to try again, not a 500 (cmetrack/errors.py, docs/operations.md)."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from cmetrack import errors


def answer_while(error: Exception, path: str):
    request = RequestFactory().get(path)
    try:
        raise error
    except type(error):
        return errors.server_error(request)


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection"), RedisConnectionError("refused")],
    ids=["database", "redis"],
)
def test_a_page_is_a_503_that_says_to_try_again(error):
    response = answer_while(error, "/credits/new/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "CME Track is briefly unavailable" in page
    assert "what you were sending was not saved" in page
    assert "server closed" not in page  # the error itself is never shown


def test_another_error_is_still_a_500():
    response = answer_while(ValueError("a bug"), "/credits/new/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_api_answers_503_in_json():
    response = answer_while(OperationalError("gone"), "/api/v1/credits/")
    assert response.status_code == 503
    assert "nothing was saved" in json.loads(response.content)["detail"]
