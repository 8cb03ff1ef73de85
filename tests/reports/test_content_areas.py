"""Credits by content area: the rule that adds them up, the selector (one query, SQLite and
PostgreSQL), the bars, and the CME report's page and PDF (shown only when an entry records an
area; the same queries either way)."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from bench.queries import page_queries
from credits import rules, selectors
from credits.models import CreditEntry
from reports.area_chart import BAR_COLOUR, NOT_RECORDED_COLOUR, SMALLEST_BAR, area_bars
from tests.factories import CreditEntryFactory
from tests.today import TODAY, shifted

NS = "{http://www.w3.org/2000/svg}"
D = Decimal
LABELS = {area.value: area.label for area in rules.ContentArea}


def entry(**fields) -> CreditEntry:
    """An entry with neither patient-safety nor plastic-surgery credits (any credits do)."""
    fields.setdefault("patient_safety_credits", D("0"))
    fields.setdefault("plastic_surgery_credits", D("0"))
    return CreditEntryFactory(**fields)


def by_code(result: rules.ContentAreaCredits) -> dict[str, Decimal]:
    return {area.code: area.credits for area in result.areas}


# --- The rule (pure) -------------------------------------------------------------------------


def test_an_entry_counts_in_each_area_it_records_and_one_without_under_not_recorded():
    result = rules.credits_by_content_area(
        [
            (D("5"), ["breast", "microsurgery"]),
            (D("2.5"), ["breast"]),
            (D("3"), []),
            (D("1.25"), None),
        ]
    )

    assert by_code(result) == {
        "cosmetic": D("0.00"),
        "breast": D("7.50"),
        "craniomaxillofacial": D("0.00"),
        "reconstruction": D("0.00"),
        "microsurgery": D("5.00"),
        "practice_management": D("0.00"),
        "emerging_trends": D("0.00"),
        "not_recorded": D("4.25"),
    }
    assert result.recorded == 2
    assert result.any_recorded


def test_every_area_comes_in_the_enum_order_then_not_recorded_with_its_label():
    result = rules.credits_by_content_area([])

    assert [area.code for area in result.areas] == [*LABELS, "not_recorded"]
    assert [area.label for area in result.areas] == [*LABELS.values(), "Not recorded"]
    assert not result.any_recorded


@pytest.mark.parametrize(
    "stored",
    [
        ["breast", "breast"],  # twice: counted once
        ["breast", "no-such-area"],  # an unknown code is left out
        ("breast",),
    ],
)
def test_an_area_counts_once_and_unknown_codes_are_ignored(stored):
    result = rules.credits_by_content_area([(D("4"), stored)])

    assert by_code(result)["breast"] == D("4.00")
    assert by_code(result)["not_recorded"] == D("0.00")


@pytest.mark.parametrize("stored", [["no-such-area"], "breast", {"breast": True}, 7, [None]])
def test_a_value_that_names_no_known_area_is_not_recorded(stored):
    result = rules.credits_by_content_area([(D("4"), stored)])

    assert by_code(result)["not_recorded"] == D("4.00")
    assert by_code(result)["breast"] == D("0.00")
    assert result.recorded == 0


# --- The bars (pure) -------------------------------------------------------------------------


def bar_fill(svg: str) -> tuple[str, str] | None:
    root = ET.fromstring(svg)  # noqa: S314 -- the bar we just drew
    rects = list(root.iter(f"{NS}rect"))
    assert rects[0].get("width") == "100%"  # the track
    if len(rects) == 1:
        return None
    return rects[1].get("width"), rects[1].get("fill")


def test_the_largest_area_fills_its_track_and_the_others_are_in_proportion():
    result = rules.credits_by_content_area(
        [
            (D("40"), ["cosmetic"]),
            (D("10"), ["breast"]),
            (D("0.25"), ["microsurgery"]),
            (D("20"), []),
        ]
    )

    bars = {bar.code: bar for bar in area_bars(result.areas)}

    assert bar_fill(bars["cosmetic"].svg) == ("100%", BAR_COLOUR)
    assert bar_fill(bars["breast"].svg) == ("25%", BAR_COLOUR)
    assert bar_fill(bars["not_recorded"].svg) == ("50%", NOT_RECORDED_COLOUR)
    # 0.25 of 40 would be a sliver nobody sees: it gets the smallest visible bar.
    assert bars["microsurgery"].percent == SMALLEST_BAR
    assert bar_fill(bars["craniomaxillofacial"].svg) is None  # nothing: the track only
    assert 'aria-hidden="true"' in bars["cosmetic"].svg  # the figures are the text


def test_no_credits_at_all_draws_empty_tracks():
    bars = area_bars(rules.credits_by_content_area([]).areas)

    assert [bar_fill(bar.svg) for bar in bars] == [None] * len(rules.AREA_CODES)


# --- The selector ----------------------------------------------------------------------------


def window_of(member) -> rules.Window:
    return rules.current_cycle(member.cycle_start, TODAY)


def test_the_selector_adds_up_the_counted_entries_of_the_window_in_one_query(alice, bob):
    cycle = window_of(alice)
    entry(member=alice, credits=D("5"), content_areas=["breast", "microsurgery"])
    entry(member=alice, credits=D("2"), content_areas=[])
    replaced = entry(member=alice, credits=D("9"), content_areas=["cosmetic"])
    society = entry(member=alice, credits=D("1"), source="society_import", content_areas=["breast"])
    CreditEntry.objects.filter(pk=replaced.pk).update(superseded_by=society)  # counts nowhere
    entry(  # before the cycle
        member=alice,
        credits=D("7"),
        end_date=cycle.start - dt.timedelta(days=1),
        content_areas=["breast"],
    )
    entry(member=bob, credits=D("11"), content_areas=["breast"])

    with CaptureQueriesContext(connection) as queries:
        result = selectors.credits_by_content_area(alice, cycle)

    assert len(queries) == 1
    assert by_code(result)["breast"] == D("6.00")
    assert by_code(result)["microsurgery"] == D("5.00")
    assert by_code(result)["cosmetic"] == D("0.00")
    assert by_code(result)["not_recorded"] == D("2.00")
    assert result.recorded == 2


@pytest.mark.postgres
def test_the_selector_reads_the_json_list_on_postgresql(postgres, alice):
    entry(member=alice, credits=D("3.75"), content_areas=["emerging_trends"])
    entry(member=alice, credits=D("1"), content_areas=["emerging_trends", "cosmetic"])

    result = selectors.credits_by_content_area(alice, window_of(alice))

    assert by_code(result)["emerging_trends"] == D("4.75")
    assert by_code(result)["cosmetic"] == D("1.00")


# --- The CME report --------------------------------------------------------------------------


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def section(body: str) -> str:
    found = re.search(r'<section class="report-section content-areas".*?</section>', body, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def areas_recorded(alice):
    entry(
        member=alice,
        title="Breast reconstruction with free flaps",
        credits=D("12.5"),
        content_areas=["breast", "microsurgery"],
    )
    entry(
        member=alice,
        title="Rhinoplasty course",
        credits=D("8"),
        content_areas=["cosmetic"],
        end_date=shifted(dt.date(2025, 9, 12)),
    )
    entry(member=alice, title="Grand rounds", credits=D("3"), content_areas=[])


def test_the_report_page_shows_credits_by_content_area(alice_client, areas_recorded):
    body = alice_client.get(reverse("reports:cme")).content.decode()

    shown = section(body)
    assert "Credits by content area" in shown
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>.*?<td class="num">([^<]+)</td>',
        shown,
        re.S,
    )
    assert dict(rows) == {
        "Cosmetic": "8",
        LABELS["breast"]: "12.5",
        "Craniomaxillofacial": "0",
        LABELS["reconstruction"]: "0",
        "Microsurgery": "12.5",
        LABELS["practice_management"]: "0",
        LABELS["emerging_trends"]: "0",
        "Not recorded": "3",
    }
    assert "counts in both" in shown


def test_the_pdf_shows_credits_by_content_area(alice_client, areas_recorded):
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    assert "Credits by content area" in text
    for label, credits in [("Cosmetic", "8"), ("Microsurgery", "12.5"), ("Not recorded", "3")]:
        assert re.search(rf"{re.escape(label)}\s+{re.escape(credits)}\b", text), label
    assert re.search(r"Breast \(cosmetic and\s+reconstructive\)\s+12\.5", text)


def test_no_content_area_recorded_no_chart(alice_client, alice):
    entry(member=alice, title="Grand rounds", content_areas=[])

    body = alice_client.get(reverse("reports:cme")).content.decode()
    text = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    assert "Grand rounds" in body
    assert section(body) == ""
    assert "Credits by content area" not in body
    assert "Credits by content area" not in text


def test_an_area_of_an_entry_that_no_longer_counts_is_not_shown(alice_client, alice):
    replaced = entry(member=alice, title="Course", content_areas=["breast"])
    society = entry(member=alice, title="Course", source="society_import")
    CreditEntry.objects.filter(pk=replaced.pk).update(superseded_by=society)

    body = alice_client.get(reverse("reports:cme")).content.decode()

    assert section(body) == ""


@pytest.mark.parametrize("url_name", ["reports:cme", "reports:cme_pdf"])
def test_the_report_runs_the_same_queries_with_or_without_areas_and_for_3_or_300_entries(
    alice_client, alice, url_name
):
    def queries_with(count: int, areas: list[str]) -> int:
        CreditEntry.objects.filter(member=alice).delete()
        # No patient-safety credits either way: the page offers the same resources each time.
        CreditEntryFactory.create_in_bulk(
            count, member=alice, content_areas=areas, patient_safety_credits=0
        )
        return page_queries(alice_client, reverse(url_name))

    without = queries_with(3, [])
    assert queries_with(3, ["breast", "cosmetic"]) == without
    assert queries_with(300, ["breast"]) == without
