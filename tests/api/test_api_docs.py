"""docs/api.md stays true: it documents every operation of the OpenAPI schema, and no other.

Each operation has a heading ``### METHOD /api/v1/path/`` (the schema's path, ``{id}`` and
all). The schema and its interactive page are not in the schema they serve; they are listed
here and must still resolve.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
HEADING = re.compile(r"^### (GET|POST|PUT|PATCH|DELETE) (/api/v1/\S*)\s*$", re.MULTILINE)
METHODS = {"get", "post", "put", "patch", "delete"}
OUTSIDE_THE_SCHEMA = {("GET", "/api/v1/schema/"), ("GET", "/api/v1/docs/")}


@cache
def schema_operations() -> dict[tuple[str, str], dict]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path): operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    }


def documented() -> list[tuple[str, str]]:
    return HEADING.findall(API_DOC.read_text(encoding="utf-8"))


def test_the_schema_has_operations():
    assert len(schema_operations()) >= 10


def test_every_operation_of_the_schema_is_documented():
    missing = sorted(set(schema_operations()) - set(documented()))
    assert not missing, (
        "docs/api.md has no heading for these operations; add a section "
        f"'### METHOD /api/v1/…' for each: {missing}"
    )


def test_docs_describe_only_operations_that_exist():
    extra = sorted(set(documented()) - set(schema_operations()) - OUTSIDE_THE_SCHEMA)
    assert not extra, f"docs/api.md documents operations the API does not have: {extra}"


def test_each_operation_is_documented_once():
    headings = documented()
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    assert not repeated, f"docs/api.md documents these more than once: {repeated}"


@pytest.mark.parametrize("path", sorted(path for _, path in OUTSIDE_THE_SCHEMA))
def test_the_pages_outside_the_schema_exist(path):
    try:
        resolve(path)
    except Resolver404:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{path} is listed as documented outside the schema but does not resolve")


def test_every_operation_has_a_summary_and_a_description():
    bare = sorted(
        f"{method} {path}: {'summary' if not op.get('summary') else 'description'}"
        for (method, path), op in schema_operations().items()
        if not (op.get("summary") and op.get("description"))
    )
    assert not bare, f"Give these operations extend_schema(summary=..., description=...): {bare}"


def anchors(markdown: str) -> set[str]:
    """The anchors the headings get when the page is shown (lower case, punctuation dropped,
    spaces as hyphens)."""
    titles = re.findall(r"^#+ (.+?)\s*$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles}


def test_links_of_the_api_doc_stay_inside_the_repository():
    text = API_DOC.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)]+)\)", text):
        assert not re.match(r"[a-z]+:", target), f"docs/api.md links outside: {target}"
        if target.startswith("#"):
            assert target[1:] in anchors(text), f"docs/api.md: no heading for the link {target}"
            continue
        assert (API_DOC.parent / target.split("#")[0]).exists(), f"broken link: {target}"
