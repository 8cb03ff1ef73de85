""" "Start from a certificate" on Submit CME in a real browser: a PDF on a desktop and a photo
on a phone are read, the form comes back filled with each read field marked, the member
confirms, and the entry is in the record with its certificate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from credits.models import CreditEntry
from tests.certificate_files import PROVIDER, TITLE, certificate_pdf, certificate_photo
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MemberFactory
from tests.today import shifted

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

START = shifted(dt.date(2026, 3, 3))  # within the member's cycle, whatever "today" is
DATES = f"{START:%B} {START.day}–{START.day + 3}, {START.year}"


@pytest.fixture
def member(db):
    return MemberFactory(user__email="surgeon@example.org", first_name="Grace", last_name="Hopper")


def read_and_confirm(page, live_server, *, name: str, mime: str, data: bytes) -> None:
    page.goto(f"{live_server.url}/credits/new/")
    page.get_by_label("Your certificate").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    page.get_by_role("button", name="Read the certificate").click()

    expect(page.locator("#reading-summary")).to_contain_text(f"We read {name}")
    expect(page.get_by_label("Title of activity")).to_have_value(TITLE)
    expect(page.get_by_label("Accredited provider")).to_have_value(PROVIDER)
    expect(page.get_by_label("Start date")).to_have_value(START.isoformat())
    expect(page.get_by_label("End date")).to_have_value((START + dt.timedelta(days=3)).isoformat())
    expect(page.get_by_label("CME credits", exact=False).first).to_have_value("12.5")
    for label in ("Title of activity", "Accredited provider", "Start date", "CME credits"):
        field = page.locator("label", has_text=label).first
        expect(field.locator(".read-mark")).to_contain_text("Read from your certificate")
    expect(page.get_by_text(f"{name} is attached")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # The member confirms what was read and adds what a certificate never says.
    page.get_by_label("Type of activity").select_option("live_activity")
    page.get_by_label("City").fill("Chicago")
    page.get_by_label("State").fill("IL")
    page.get_by_role("button", name="Submit CME").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_pdf_is_read_confirmed_and_recorded_with_its_certificate(page, live_server, member):
    log_in(page, live_server, member.user.email, PASSWORD)
    pdf = certificate_pdf(dates=DATES)

    read_and_confirm(page, live_server, name="course.pdf", mime="application/pdf", data=pdf)

    entry = CreditEntry.objects.get(member=member)
    assert (entry.title, entry.credits, entry.patient_safety_credits) == (
        TITLE,
        Decimal("12.50"),
        Decimal("4.00"),
    )
    with entry.certificate.open("rb") as stored:
        assert stored.read() == pdf
    page.goto(f"{live_server.url}/credits/{entry.pk}/")
    expect(page.get_by_role("link", name="Download certificate")).to_be_visible()


def test_a_photo_on_a_phone_is_read_confirmed_and_recorded(browser, live_server, member):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server, member.user.email, PASSWORD)
        photo = certificate_photo(dates=DATES)

        read_and_confirm(page, live_server, name="photo.jpg", mime="image/jpeg", data=photo)

        entry = CreditEntry.objects.get(member=member)
        assert entry.title == TITLE
        assert entry.start_date == START
        with entry.certificate.open("rb") as stored:
            assert stored.read() == photo
    finally:
        context.close()
