"""An entry's page, delete with confirmation and undo, My entries, and the pages' words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credits import services
from credits.models import CreditEntry, Decision, ReviewDecision
from tests.credits.test_views import PDF_BYTES, form_data
from tests.factories import CreditEntryFactory
from tests.today import shifted

pytestmark = pytest.mark.django_db


def detail(client, entry) -> str:
    return client.get(reverse("credits:detail", args=[entry.pk])).content.decode()


# --- The entry's page --------------------------------------------------------------------------


def test_the_two_certificate_inputs_have_their_own_ids(alice_client, alice):
    body = detail(alice_client, CreditEntryFactory(member=alice))

    assert body.count('id="id_certificate"') == 1  # the edit form's
    assert body.count('id="id_upload_certificate"') == 1  # the certificate card's
    assert 'for="id_upload_certificate"' in body


def test_after_a_bad_upload_the_page_stays_editable(alice_client, alice):
    entry = CreditEntryFactory(member=alice)
    bad = SimpleUploadedFile("c.pdf", b"not a pdf at all", "application/pdf")

    response = alice_client.post(
        reverse("credits:certificate", args=[entry.pk]), {"certificate": bad}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Upload the certificate as a PDF, JPEG or PNG file." in body
    assert 'id="id_upload_certificate_error"' in body
    assert "Edit this entry" in body and 'name="title"' in body
    assert reverse("credits:delete", args=[entry.pk]) in body


def test_the_edit_form_writes_credits_as_members_do(alice_client, alice):
    entry = CreditEntryFactory(
        member=alice,
        credits=Decimal("8"),
        plastic_surgery_credits=Decimal("7.5"),
        patient_safety_credits=Decimal("0"),
    )

    body = detail(alice_client, entry)

    assert re.search(r'name="credits" value="8"', body)
    assert re.search(r'name="plastic_surgery_credits" value="7.5"', body)
    assert re.search(r'name="patient_safety_credits" value="0"', body)
    assert "8.00" not in body and "0.00" not in body


# --- Delete: confirm, then undo for a few minutes ------------------------------------------------


def test_delete_asks_to_confirm_first(alice_client, alice):
    entry = CreditEntryFactory(member=alice, title="Rhinoplasty Update")

    page = alice_client.get(reverse("credits:delete", args=[entry.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Delete this entry?" in body and "Rhinoplasty Update" in body
    assert f'action="{reverse("credits:delete", args=[entry.pk])}"' in body
    assert CreditEntry.objects.filter(pk=entry.pk).exists()
    assert f'href="{reverse("credits:delete", args=[entry.pk])}"' in detail(alice_client, entry)


def test_deleting_offers_undo_which_restores_the_entry(alice_client, alice):
    entry = CreditEntryFactory(member=alice, title="Rhinoplasty <Update>")
    pk = entry.pk

    deleted = alice_client.post(reverse("credits:delete", args=[pk]), follow=True)

    body = deleted.content.decode()
    assert not CreditEntry.objects.filter(pk=pk).exists()
    assert "Deleted: Rhinoplasty &lt;Update&gt;." in body  # the title is escaped
    assert f'action="{reverse("credits:restore", args=[pk])}"' in body
    assert ">Undo</button>" in body

    restored = alice_client.post(reverse("credits:restore", args=[pk]))

    assert restored.status_code == 302
    assert restored["Location"] == reverse("credits:detail", args=[pk])
    entry = CreditEntry.objects.get(pk=pk)
    assert entry.title == "Rhinoplasty <Update>" and entry.member == alice


def test_undo_is_refused_after_the_window(alice_client, alice):
    entry = CreditEntryFactory(member=alice)
    pk = entry.pk
    alice_client.post(reverse("credits:delete", args=[pk]))
    later = timezone.now() + dt.timedelta(minutes=services.UNDO_DELETE_MINUTES + 1)

    with time_machine.travel(later, tick=False):
        response = alice_client.post(reverse("credits:restore", args=[pk]), follow=True)

    assert "can no longer be restored here" in response.content.decode()
    assert not CreditEntry.objects.filter(pk=pk).exists()


def test_nobody_else_may_undo_a_members_deletion(alice_client, client, alice, bob):
    entry = CreditEntryFactory(member=alice)
    pk = entry.pk
    alice_client.post(reverse("credits:delete", args=[pk]))
    client.force_login(bob.user)

    assert client.post(reverse("credits:restore", args=[pk])).status_code == 404
    assert client.get(reverse("credits:delete", args=[pk])).status_code == 404
    assert not CreditEntry.objects.filter(pk=pk).exists()


def test_an_imported_entry_has_no_delete_page(alice_client, alice):
    entry = CreditEntryFactory(member=alice, source="society_import")

    assert alice_client.get(reverse("credits:delete", args=[entry.pk])).status_code == 404


def test_undo_runs_the_counting_rules_again(alice_client, alice):
    """The society's record of the activity arrived while the entry was deleted: the restored
    entry is replaced by it, so the activity counts once."""
    entry = CreditEntryFactory(member=alice, title="Facial Aesthetics Meeting")
    pk = entry.pk
    alice_client.post(reverse("credits:delete", args=[pk]))
    society = CreditEntryFactory(
        member=alice,
        title="Facial aesthetics meeting",
        provider=entry.provider,
        source="society_import",
        activity_code="FAM-1",
        review_status="approved",
    )

    alice_client.post(reverse("credits:restore", args=[pk]))

    restored = CreditEntry.objects.get(pk=pk)
    assert restored.superseded_by == society
    assert not restored.counts


def test_undo_survives_an_entry_it_pointed_at_being_deleted(alice_client, alice):
    first = CreditEntryFactory(member=alice, title="Twice attended")
    second = CreditEntryFactory(member=alice, title="Twice attended", duplicate_of=first)
    pk = second.pk
    alice_client.post(reverse("credits:delete", args=[pk]))
    first.delete()

    alice_client.post(reverse("credits:restore", args=[pk]))

    assert CreditEntry.objects.get(pk=pk).duplicate_of is None


# --- My entries ---------------------------------------------------------------------------------


def test_my_entries_newest_first_with_their_certificates(alice_client, alice):
    CreditEntryFactory(member=alice, title="Older course", end_date=shifted(dt.date(2025, 2, 1)))
    CreditEntryFactory(
        member=alice,
        title="Newer course",
        end_date=shifted(dt.date(2025, 9, 1)),
        certificate=SimpleUploadedFile("c.pdf", PDF_BYTES),
    )
    CreditEntryFactory(
        member=alice, title="Society meeting", source="society_import", activity_code="X1"
    )

    body = alice_client.get(reverse("credits:list")).content.decode()

    assert body.index("Newer course") < body.index("Older course")
    assert ">Certificate</th>" in body
    newer = CreditEntry.objects.get(title="Newer course")
    assert reverse("credits:certificate", args=[newer.pk]) in body
    assert "Missing<span" in body and "Society's record" in body


def test_the_missing_certificate_filter(alice_client, alice):
    CreditEntryFactory(member=alice, title="Without one")
    CreditEntryFactory(
        member=alice, title="With one", certificate=SimpleUploadedFile("c.pdf", PDF_BYTES)
    )
    CreditEntryFactory(member=alice, title="Imported", source="society_import", activity_code="Y")

    body = alice_client.get(reverse("credits:list") + "?certificate=missing").content.decode()

    assert "Without one" in body
    assert "With one" not in body and "Imported" not in body
    assert 'aria-current="true">Missing certificate</a>' in body


def test_on_a_phone_each_cell_says_what_it_is(alice_client, alice):
    CreditEntryFactory(member=alice)

    body = alice_client.get(reverse("credits:list")).content.decode()

    for label in ("Date", "Cat 1", "Patient safety", "Status", "Certificate"):
        assert f'data-label="{label}"' in body


# --- Words ------------------------------------------------------------------------------------


def test_one_pending_patient_safety_credit_is_singular(alice_client, alice):
    one = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("1"))
    two = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("2.5"))

    assert "The 1 patient-safety credit is pending staff review. It counts" in detail(
        alice_client, one
    )
    assert "The 2.5 patient-safety credits are pending staff review. They count" in detail(
        alice_client, two
    )


def test_a_quoted_note_ends_its_sentence_once(alice_client, alice, reviewer):
    entry = CreditEntryFactory(member=alice, review_status="documentation_requested")
    ReviewDecision.objects.create(
        entry=entry,
        member=alice,
        entry_title=entry.title,
        before={},
        after={},
        decision=Decision.REQUEST_DOCUMENTATION,
        note="Please upload the certificate.",
        decided_by=reviewer,
    )

    body = detail(alice_client, entry)

    assert "“Please upload the certificate.” Upload the certificate below" in body
    assert "”." not in body


def test_the_patient_safety_topic_is_not_in_nested_parentheses(client, alice, reviewer):
    entry = CreditEntryFactory(
        member=alice,
        source="society_import",
        activity_code="Z",
        credits=6,
        plastic_surgery_credits=6,
        patient_safety_credits=6,
    )
    client.force_login(alice.user)

    body = detail(client, entry)

    assert '6<span class="muted"> · topic: General' in body
    assert "(General (" not in body


def test_the_recorded_message_counts_credits_in_words(alice_client):
    response = alice_client.post(
        reverse("credits:new"),
        form_data(credits="1", plastic_surgery_credits="1", patient_safety_credits="0"),
        follow=True,
    )

    assert "Recorded: Hand Surgery Update (1 credit)." in response.content.decode()


def test_undo_is_refused_when_the_activity_was_entered_again(alice_client, alice):
    entry = CreditEntryFactory(member=alice, title="Body Contouring Course")
    pk = entry.pk
    alice_client.post(reverse("credits:delete", args=[pk]))
    again = CreditEntryFactory(
        member=alice, title="Body contouring course", provider=entry.provider
    )

    response = alice_client.post(reverse("credits:restore", args=[pk]), follow=True)

    assert "would count it twice" in response.content.decode()
    assert not CreditEntry.objects.filter(pk=pk).exists()
    assert CreditEntry.objects.filter(pk=again.pk).exists()
