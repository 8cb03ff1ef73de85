"""Staff import pages: upload, runs, rejected rows shown with their reasons (docs/api.md)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from credits.models import CreditEntry, Provider
from imports import services as common
from imports.models import ImportRun
from tests.credits.test_meeting_import import csv_text, line
from tests.factories import CreditEntryFactory, UserFactory, with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


def upload(client, kind: str, content: bytes, name: str = "file.csv"):
    return client.post(
        "/staff/imports/",
        {"kind": kind, f"{kind}-file": SimpleUploadedFile(name, content, "text/csv")},
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 404), ("staff without the group", 404), ("CME staff", 200)],
)
def test_import_pages_are_for_cme_staff_only(client, bob, reviewer, who, expected):
    run = common.run_create(kind=ImportRun.Kind.ROSTER, file_name="r.csv", content="x")
    if who == "member":
        client.force_login(bob.user)
    elif who == "staff without the group":
        client.force_login(with_two_factor(UserFactory(is_staff=True)))
    elif who == "CME staff":
        client.force_login(reviewer)

    for url in ("/staff/imports/", f"/staff/imports/{run.pk}/"):
        assert client.get(url).status_code == expected, url
    response = upload(client, ImportRun.Kind.ROSTER, b"asps_id\n")
    assert response.status_code == (400 if expected == 200 else expected)


def test_the_staff_nav_links_to_imports(reviewer_client):
    body = reviewer_client.get("/staff/reviews/").content.decode()

    assert '<a href="/staff/imports/">Imports</a>' in body


def test_the_imports_page_offers_four_uploads_with_their_columns(reviewer_client):
    body = reviewer_client.get("/staff/imports/").content.decode().replace("<wbr>", "")

    assert "Members roster" in body
    assert "Society meeting credits" in body
    assert "ABPS records" in body
    assert "Activity catalogue" in body
    assert "asps_id,email,first_name,last_name,membership_type,joined_on" in body
    assert "asps_id,abps_record_id,record_type,title,completed_on" in body
    assert "<code>code,title</code>" in body
    assert "kind,part_of,provider,activity_type,category" in body
    assert 'enctype="multipart/form-data"' in body


def test_an_uploaded_file_is_imported_and_its_run_shows_the_rejected_rows(
    reviewer_client, reviewer, member, django_capture_on_commit_callbacks
):
    text = csv_text(
        line(), line(activity_code="S2", credits="lots"), line(activity_code="S3", asps_id="424242")
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            reviewer_client, ImportRun.Kind.MEETING_CREDITS, text.encode(), "spring.csv"
        )

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/imports/{run.pk}/"
    assert (run.file_name, run.uploaded_by, run.content) == ("spring.csv", reviewer, text)
    assert (run.status, run.created, run.rejected) == ("done", 1, 2)

    page = reviewer_client.get(f"/staff/imports/{run.pk}/").content.decode()
    assert "Rejected rows" in page
    assert "credits: Enter a number, e.g. 1.25 or 7.5." in page
    assert "No member has ASPS ID 424242: import the roster first." in page
    assert '<span class="muted">credits</span> lots' in page
    line_cell = '<td data-label="Line" class="num">{}</td>'  # the rejected rows' line numbers
    assert line_cell.format(3) in page and line_cell.format(4) in page

    listing = reviewer_client.get("/staff/imports/").content.decode()
    assert "spring.csv" in listing
    assert "reviewer@example.org" in listing


def test_a_file_that_is_not_utf8_is_refused_next_to_its_field(reviewer_client):
    response = upload(
        reviewer_client, ImportRun.Kind.MEETING_CREDITS, b"asps_id,activity_title\n1,Caf\xe9\n"
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is not UTF-8 text" in body
    assert 'id="id_meeting_credits-file_error"' in body
    assert not ImportRun.objects.exists()


def test_a_file_over_20_mb_is_refused(reviewer_client):
    response = upload(reviewer_client, ImportRun.Kind.ROSTER, b"a" * (20 * 1024 * 1024 + 1))

    assert response.status_code == 400
    assert "the limit is 20 MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_with_another_header_is_refused_before_it_is_queued(reviewer_client):
    response = upload(reviewer_client, ImportRun.Kind.ABPS, b"asps_id,email\n1,a@example.org\n")

    assert response.status_code == 400
    assert "The header lacks the columns abps_record_id, record_type" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_roster_upload_invites_the_new_members(
    reviewer_client, django_capture_on_commit_callbacks
):
    text = (
        "asps_id,email,first_name,last_name,membership_type,joined_on,cycle_start\n"
        "30001,carol@example.org,Carol,Chen,active,2019-03-09,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        upload(reviewer_client, ImportRun.Kind.ROSTER, text.encode())

    assert ImportRun.objects.get().created == 1
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]


def test_the_run_page_links_both_entries_of_a_flagged_duplicate_and_lists_held_rows(
    reviewer_client, member
):
    own = CreditEntryFactory(
        member=member,
        title=line()["activity_title"],
        provider=Provider.objects.get(abbreviation="ASPS"),
        start_date="2025-10-10",
        end_date="2025-10-12",
    )
    run = common.run_create(
        kind=ImportRun.Kind.MEETING_CREDITS,
        file_name="m.csv",
        content=csv_text(line(), line(activity_code="S9", evaluation_completed_on="")),
    )

    run = common.perform_run(run.pk)

    imported = CreditEntry.objects.get(activity_code="PSTM25-S101")
    page = reviewer_client.get(f"/staff/imports/{run.pk}/").content.decode()
    assert "Imported entries that repeat another entry" in page
    assert f'href="/staff/reviews/{imported.pk}/"' in page
    assert f'href="/staff/reviews/{own.pk}/"' in page
    assert "Held rows, waiting for the evaluation" in page
    assert "S9" in page


def test_a_failed_run_shows_its_error(reviewer_client):
    run = common.run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="m.csv", content="a,b\n")

    common.perform_run(run.pk)

    page = reviewer_client.get(f"/staff/imports/{run.pk}/").content.decode()
    assert "The import failed; nothing of this file was imported." in page
    assert "The header lacks the columns" in page


def test_a_catalogue_upload_counts_new_and_changed_activities(
    reviewer_client, django_capture_on_commit_callbacks
):
    text = (
        "code,title,max_credits\n"
        "PSTM25,Plastic Surgery The Meeting 2025,40\n"
        "ASAPS-MEETING,ASAPS Annual Meeting,50.75\n"  # as the catalogue has it
        "ASAPS-MEETING-COURSES,Optional courses,29.5\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        upload(reviewer_client, ImportRun.Kind.CATALOGUE, text.encode())

    run = ImportRun.objects.get()
    assert (run.kind, run.created, run.updated, run.unchanged) == ("catalogue", 1, 1, 1)
    page = reviewer_client.get(f"/staff/imports/{run.pk}/").content.decode()
    assert "new activity" in page
    assert "activities whose details changed" in page
    listing = reviewer_client.get("/staff/imports/").content.decode()
    assert '<td data-label="Updated" class="num">1</td>' in listing
