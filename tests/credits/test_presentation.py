"""The presentation of entries: the review badge tag, the pagination include and the
duplicate error rendered at the edges (the page links, the API speaks plain text)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from credits.models import CreditEntry, ReviewStatus, Source
from tests.credits.test_counted_once_pages import api_for, form_data, own_entry
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context: object) -> str:
    return Template("{% load credits_tags %}" + source).render(Context(context)).strip()


STATUSES = [
    (ReviewStatus.PENDING, Decimal(2), '<span class="badge badge-warn">PS pending review</span>'),
    (ReviewStatus.PENDING, Decimal(0), ""),
    (
        ReviewStatus.DOCUMENTATION_REQUESTED,
        Decimal(0),
        '<span class="badge badge-warn">Documentation requested</span>',
    ),
    (ReviewStatus.REJECTED, Decimal(1), '<span class="badge badge-bad">PS rejected</span>'),
    (ReviewStatus.APPROVED, Decimal(1), '<span class="badge badge-ok">PS approved</span>'),
    (ReviewStatus.APPROVED, Decimal(0), ""),
    (ReviewStatus.NOT_REQUIRED, Decimal(0), ""),
]


@pytest.mark.parametrize(("status", "patient_safety", "expected"), STATUSES)
def test_the_review_badge_tag(status, patient_safety, expected):
    entry = CreditEntry(review_status=status, patient_safety_credits=patient_safety)
    assert render("{% review_badge entry %}", entry=entry) == expected


@pytest.mark.parametrize(("status", "patient_safety", "expected"), STATUSES)
def test_the_pdf_column_says_what_the_badge_says(status, patient_safety, expected):
    entry = CreditEntry(review_status=status, patient_safety_credits=patient_safety)
    plain = render("{% review_badge entry plain=True %}", entry=entry)
    assert plain == (expected.split(">")[1].split("<")[0] if expected else "—")


def test_the_row_badges_and_the_report_derive_the_review_the_same_way(alice):
    entry = CreditEntryFactory(
        member=alice, review_status=ReviewStatus.DOCUMENTATION_REQUESTED, title="Audit course"
    )
    row = Template('{% include "credits/_entry_row_badges.html" %}').render(
        Context({"entry": entry})
    )
    report = Template('{% include "reports/_report_entries.html" %}').render(
        Context({"report": {"entries": [entry]}})
    )
    assert '<span class="badge badge-warn">Documentation requested</span>' in row
    assert '<td class="status">Documentation requested</td>' in report


def test_the_row_badges_show_an_import_and_a_replaced_entry(alice):
    imported = CreditEntryFactory(member=alice, source=Source.SOCIETY_IMPORT)
    typed = CreditEntryFactory(member=alice, superseded_by=imported)
    html = render("{% entry_badges entry %}", entry=imported)
    assert html.startswith('<span class="badge">Imported</span>')
    replaced = render("{% entry_badges entry %}", entry=typed)
    assert "Replaced</span>" in replaced
    assert 'title="Replaced by the society&#x27;s record' in replaced


def pagination(number: int, path: str = "/credits/?kind=1", **options: str) -> str:
    page = Paginator(list(range(45)), 20).page(number)
    request = RequestFactory().get(path)
    return Template('{% include "includes/pagination.html" %}').render(
        Context({"page": page, "request": request, **options})
    )


def test_the_pagination_is_a_labelled_nav_with_the_current_page_marked():
    html = pagination(2, label="Pages of claims", anchor="#rejected")
    assert '<nav class="pagination" aria-label="Pages of claims">' in html
    assert '<span aria-current="page">Page 2 of 3</span>' in html
    assert 'rel="prev" href="?kind=1&amp;page=1#rejected">← Previous</a>' in html
    assert 'rel="next" href="?kind=1&amp;page=3#rejected">Next →</a>' in html


def test_the_pagination_at_the_ends_and_with_its_own_words():
    first = pagination(1, previous_label="← Newer", next_label="Older →")
    assert "Newer" not in first
    assert 'aria-label="Pages"' in first
    assert "Older →</a>" in first
    assert 'rel="next"' not in pagination(3)
    single = Template('{% include "includes/pagination.html" %}').render(
        Context({"page": Paginator([1], 20).page(1)})
    )
    assert "<nav" not in single


def test_the_duplicate_error_escapes_the_title_in_its_link(alice, alice_client):
    own = own_entry(alice, title="Hands <b>& wrists</b>")

    page = alice_client.post(reverse("credits:new"), form_data(title="Hands <b>& wrists</b>"))

    text = page.content.decode()
    assert page.status_code == 400
    link = f'<a href="/credits/{own.pk}/">Hands &lt;b&gt;&amp; wrists&lt;/b&gt;</a>'
    assert link in text
    assert "(Mar 10, 2025)" in text


def test_the_api_message_is_plain_text_with_the_earlier_entrys_id(alice):
    own = own_entry(alice, start_date=dt.date(2025, 3, 9))

    refused = api_for(alice).post(
        "/api/v1/credits/", form_data(start_date="2025-03-09"), format="json"
    )

    answer = refused.json()
    assert refused.status_code == 400
    assert answer["duplicate_of"] == [own.pk]
    message = answer["confirm_duplicate"][0]
    assert "<" not in message
    assert "“Hand Course 2025” (Mar 9, 2025 to Mar 10, 2025)" in message
