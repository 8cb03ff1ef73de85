"""The section "Ways to earn patient-safety credits" on the dashboard and the CME report
page: offered to a member short of patient-safety credits in the current cycle, without the
resources whose topic no longer counts, in at most one more query."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bench.queries import page_queries
from credits import rules
from credits.models import Activity
from tests.factories import CreditEntryFactory
from tests.reports.ways_to_earn_helpers import ASPS_VTE, IHI, TOPS, shipped_catalogue

pytestmark = pytest.mark.django_db

SECTION = 'id="ways-to-earn"'


@pytest.fixture(autouse=True)
def catalogue(db):
    shipped_catalogue()


def patient_safety(member, credits: str | int, kind: str = "general", status: str = "approved"):
    """An entry of the current cycle with ``credits`` patient-safety credits of topic ``kind``."""
    return CreditEntryFactory(
        member=member,
        credits=Decimal(credits),
        patient_safety_credits=Decimal(credits),
        plastic_surgery_credits=Decimal(0),
        patient_safety_kind=kind,
        review_status=status,
    )


def section_of(page: str) -> str:
    return page[page.index(SECTION) :].split("</section>")[0]


def dashboard_section(client) -> str:
    page = client.get("/").content.decode()
    assert SECTION in page, "no “Ways to earn patient-safety credits” on the dashboard"
    return section_of(page)


def offers(section: str, code: str) -> bool:
    return f'data-activity="{code}"' in section


def test_a_member_short_with_the_quality_assurance_cap_used_up_is_not_offered_tops(
    alice_client, alice
):
    patient_safety(alice, 5, "quality_assurance")  # the cap: 5 a cycle
    patient_safety(alice, 4)  # 9 of 20 counted: short

    section = dashboard_section(alice_client)

    assert "Ways to earn patient-safety credits" in section
    assert "ASPS 11 more patient-safety credits by" in section
    assert not offers(section, TOPS)
    assert "TOPS" not in section
    assert offers(section, IHI) and offers(section, ASPS_VTE)
    assert (
        "Quality-assurance activities are not listed: you already have the 5 "
        "quality-assurance credits a cycle can count." in section
    )


def test_a_member_short_with_room_left_in_quality_assurance_is_offered_tops(alice_client, alice):
    patient_safety(alice, 3, "quality_assurance")

    section = dashboard_section(alice_client)

    assert offers(section, TOPS)
    assert "Up to 2 more quality-assurance credits count this cycle (the limit is 5)." in section
    assert "are not listed" not in section


def test_a_member_not_short_of_patient_safety_sees_no_section(alice_client, alice):
    patient_safety(alice, 20)

    page = alice_client.get("/").content.decode()

    assert SECTION not in page
    assert "Ways to earn patient-safety credits" not in page


def test_the_cap_is_judged_by_the_dashboards_numbers_pending_in_rejected_out(alice_client, alice):
    """Pending claims count provisionally (so they use up the cap), rejected ones do not."""
    claim = patient_safety(alice, 5, "quality_assurance", status="pending")

    assert not offers(dashboard_section(alice_client), TOPS)

    claim.review_status = "rejected"
    claim.save()

    assert offers(dashboard_section(alice_client), TOPS)


def test_each_resource_says_what_it_is_and_how_to_record_it(alice_client, alice):
    section = dashboard_section(alice_client)
    items = {
        code: section.split(f'data-activity="{code}"')[1].split("</li>")[0]
        for code in (IHI, ASPS_VTE, "PS-PRS-VTE")
    }

    assert "IHI Open School Patient Safety Curriculum" in items[IHI]
    assert "Online course · IHI · up to 10 credits" in items[IHI]
    assert f'href="/credits/new/?activity={IHI}"' in items[IHI]
    assert "Record it" in items[IHI]
    # ASPS uploads its credits itself: the member is told so, not invited to record them.
    assert "your credits arrive automatically" in items[ASPS_VTE]
    assert "Record it" not in items[ASPS_VTE] and "?activity=" not in items[ASPS_VTE]
    assert "Article" in items["PS-PRS-VTE"]
    assert 'href="/credits/new/?activity=PS-PRS-VTE"' in items["PS-PRS-VTE"]


def test_the_most_credits_come_first_and_the_rest_wait_behind_more(alice_client, alice):
    section = dashboard_section(alice_client)
    shown, more = section.split("<details")

    assert shown.index(f'data-activity="{IHI}"') < shown.index('data-activity="PS-ASAPS-CULTURE"')
    assert shown.count("data-activity=") == 5
    assert "<summary>7 more resources</summary>" in more  # 12 resources: TOPS counts too
    assert more.count("data-activity=") == 7


def test_a_resource_with_a_web_address_links_to_it_and_an_inactive_one_is_gone(alice_client, alice):
    Activity.objects.filter(code=IHI).update(url="https://www.ihi.org/education/ihi-open-school")
    Activity.objects.filter(code="PS-PRS-OFFICE").update(active=False)

    section = dashboard_section(alice_client)

    assert 'href="https://www.ihi.org/education/ihi-open-school" rel="noopener"' in section
    assert not offers(section, "PS-PRS-OFFICE")


def test_an_asaps_member_outside_asps_is_offered_them_for_asaps(alice_client, alice):
    alice.asps_member = False
    alice.asaps_member = True
    alice.save()

    section = dashboard_section(alice_client)

    assert "ASAPS 20 more patient-safety credits by" in section
    assert "ASPS 20" not in section


def test_asps_and_asaps_wanting_the_same_share_one_line(alice_client, alice):
    alice.asaps_member = True
    alice.save()

    section = dashboard_section(alice_client)

    assert "ASPS and ASAPS 20 more patient-safety credits by" in section


def abps_diplomate(member) -> rules.Milestone:
    """The member becomes an ABPS diplomate certified four years ago; the next deadline."""
    today = timezone.localdate()
    member.abps_certification_year = today.year - 4
    member.save()
    return rules.next_milestone(member.abps_certification_year, today)


def test_a_topic_past_the_asps_cap_is_still_offered_for_the_board(alice_client, alice):
    """The ABPS applies no per-topic caps to its 20 credits (docs/rules.md §6)."""
    deadline = abps_diplomate(alice)
    CreditEntryFactory(
        member=alice,
        end_date=timezone.localdate() - timezone.timedelta(days=1),
        patient_safety_credits=Decimal(5),
        patient_safety_kind="quality_assurance",
        review_status="approved",
    )

    section = dashboard_section(alice_client)

    assert "ABPS 15 more patient-safety credits by" in section
    assert f"{deadline.deadline:%b} {deadline.deadline.day}, {deadline.deadline.year}" in section
    assert offers(section, TOPS)
    assert (
        "Counts toward the ABPS only: you already have the 5 quality-assurance credits a cycle "
        "can count for ASPS." in section
    )


def test_the_report_page_offers_them_for_the_current_cycle_only(alice_client, alice):
    patient_safety(alice, 5, "quality_assurance")

    current = alice_client.get(reverse("reports:cme")).content.decode()
    previous = alice_client.get(reverse("reports:cme"), {"cycle": "previous"}).content.decode()
    start = rules.current_cycle(alice.cycle_start, timezone.localdate()).start
    a_range = alice_client.get(
        reverse("reports:cme"), {"start": start.isoformat(), "end": start.isoformat()}
    ).content.decode()

    assert SECTION in current
    assert not offers(section_of(current), TOPS) and offers(section_of(current), IHI)
    assert 'class="card ways-to-earn no-print"' in current  # not printed either
    assert SECTION not in previous
    assert SECTION not in a_range


def test_the_pdf_does_not_list_them(alice_client, alice):
    response = alice_client.get(reverse("reports:cme_pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    assert "Ways to earn" not in text
    assert "IHI Open School" not in text


def test_staff_reading_a_members_report_do_not_get_her_suggestions(reviewer_client, alice):
    page = reviewer_client.get(reverse("reports:cme"), {"member": alice.asps_id})

    assert page.status_code == 200
    assert SECTION not in page.content.decode()


def test_the_section_costs_one_query_and_only_when_it_shows(alice_client, alice):
    met = patient_safety(alice, 20)
    without = page_queries(alice_client, "/")
    report_without = page_queries(alice_client, reverse("reports:cme"))
    met.delete()
    patient_safety(alice, 5, "quality_assurance")
    with_section = page_queries(alice_client, "/")
    report_with = page_queries(alice_client, reverse("reports:cme"))

    assert SECTION in alice_client.get("/").content.decode()
    assert with_section - without == 1
    assert report_with - report_without == 1


def test_the_dashboard_with_the_section_runs_the_same_queries_for_10_and_1000_entries(
    alice_client, alice
):
    def queries_with(count: int) -> int:
        alice.credit_entries.all().delete()
        CreditEntryFactory.create_in_bulk(count, member=alice, patient_safety_credits=Decimal(0))
        patient_safety(alice, 5, "quality_assurance")
        return page_queries(alice_client, "/")

    assert queries_with(10) == queries_with(1000)
    assert SECTION in alice_client.get("/").content.decode()
