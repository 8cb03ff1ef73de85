"""Staff imports: a file offered as the wrong kind is named for what it looks like, long
messages wrap, and a run's rejected rows download as CSV to correct and import again."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import registry
from imports import services as common
from imports.models import ImportRejection, ImportRun
from members.roster_import import ROSTER_OPTIONAL, ROSTER_REQUIRED
from tests.credits.test_meeting_import import csv_text, line

pytestmark = pytest.mark.django_db

ROSTER_FILE = (
    ",".join(ROSTER_REQUIRED) + "\n20001,alice@example.org,Alice,Able,active,2015-06-01\n"
).encode()


def upload(client, kind: str, content: bytes):
    return client.post(
        "/staff/imports/",
        {"kind": kind, f"{kind}-file": SimpleUploadedFile("file.csv", content, "text/csv")},
    )


# --- The kind a file looks like --------------------------------------------------------------


def test_a_roster_offered_as_meeting_credits_is_named_a_roster(reviewer_client):
    response = upload(reviewer_client, ImportRun.Kind.MEETING_CREDITS, ROSTER_FILE)

    assert response.status_code == 400
    body = response.content.decode()
    assert "This looks like a members roster file: choose “Members roster” on this page." in body
    assert "The header lacks the columns" in body  # what is wrong is still said
    assert not ImportRun.objects.exists()


def test_a_meeting_file_offered_as_a_roster_is_named_meeting_credits(reviewer_client):
    response = upload(reviewer_client, ImportRun.Kind.ROSTER, csv_text(line()).encode())

    assert response.status_code == 400
    assert "choose “Society meeting credits”" in response.content.decode()


def test_a_header_of_no_kind_gets_no_guess(reviewer_client):
    response = upload(reviewer_client, ImportRun.Kind.ABPS, b"name,score\nA,1\n")

    body = response.content.decode()
    assert response.status_code == 400
    assert "The header lacks the columns" in body
    assert "This looks like" not in body


def test_the_registry_guesses_the_kind_naming_most_of_the_header():
    header = [*ROSTER_REQUIRED, *ROSTER_OPTIONAL]

    assert registry.guess(header).key == ImportRun.Kind.ROSTER
    assert registry.guess(header, other_than=ImportRun.Kind.ROSTER) is None
    assert registry.guess(["asps_id", "email"]) is None


# --- The rejected rows as CSV ----------------------------------------------------------------


@pytest.fixture
def run_with_rejections():
    run = common.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="spring roster.csv",
        content="asps_id,email,first_name,last_name,membership_type,joined_on,notes\n",
    )
    ImportRejection.objects.create(
        run=run,
        line=3,
        row={
            "asps_id": "20002",
            "email": "not-an-email",
            "first_name": '=HYPERLINK("http://evil.example","x")',
            "last_name": "Baker",
            "membership_type": "active",
            "joined_on": "2015-06-01",
        },
        reason="email: Enter a valid email address.",
    )
    ImportRejection.objects.create(
        run=run,
        line=2,
        row={"asps_id": "@SUM(1)", "email": "b@example.org", "last_name": "+1", "notes": "-2"},
        reason="-first_name: required",
    )
    ImportRun.objects.filter(pk=run.pk).update(status="done", rejected=2)
    return run


def download(client, run):
    response = client.get(f"/staff/imports/{run.pk}/rejected.csv")
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


def test_the_rejected_rows_download_with_the_files_columns_line_and_reason(
    reviewer_client, run_with_rejections
):
    response, text = download(reviewer_client, run_with_rejections)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"import-{run_with_rejections.pk}-rejected-rows.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "line",
        "reason",
        "asps_id",
        "email",
        "first_name",
        "last_name",
        "membership_type",
        "joined_on",
        "notes",
    ]
    assert [row[0] for row in rows[1:]] == ["2", "3"]  # in the order of the file
    assert rows[2][:4] == ["3", "email: Enter a valid email address.", "20002", "not-an-email"]
    assert rows[2][8] == ""  # a column the row did not carry stays empty
    assert text.endswith("\r\n")


def test_the_rejected_rows_csv_defuses_formulas(reviewer_client, run_with_rejections):
    _, text = download(reviewer_client, run_with_rejections)

    rows = list(csv.reader(io.StringIO(text)))
    second, third = rows[1], rows[2]
    assert third[4] == '\'=HYPERLINK("http://evil.example","x")'
    assert second[1] == "'-first_name: required"
    assert second[2] == "'@SUM(1)"
    assert second[5] == "'+1"
    assert second[8] == "'-2"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_run_page_links_the_download(reviewer_client, run_with_rejections):
    page = reviewer_client.get(f"/staff/imports/{run_with_rejections.pk}/").content.decode()

    assert f'href="/staff/imports/{run_with_rejections.pk}/rejected.csv"' in page
    assert "Download the 2 rejected rows (CSV)" in page


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("member", 404)])
def test_only_staff_download_rejected_rows(client, bob, run_with_rejections, who, expected):
    if who == "member":
        client.force_login(bob.user)

    response = client.get(f"/staff/imports/{run_with_rejections.pk}/rejected.csv")

    assert response.status_code == expected
    assert b"20002" not in response.content


def test_a_run_of_another_id_is_404(reviewer_client, run_with_rejections):
    assert reviewer_client.get("/staff/imports/999999/rejected.csv").status_code == 404


def test_values_beyond_the_header_are_kept_in_a_last_column(reviewer_client):
    run = common.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="r.csv",
        content=",".join(ROSTER_REQUIRED) + "\n1,a@example.org,A,B,active,2015-06-01,x,y\n",
    )
    common.perform_run(run.pk)

    _, text = download(reviewer_client, run)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "(extra values)"
    assert rows[1][-1] == "x, y"


def test_the_corrected_download_imports_again(reviewer_client, django_capture_on_commit_callbacks):
    run = common.run_create(
        kind=ImportRun.Kind.ROSTER,
        file_name="r.csv",
        content=",".join(ROSTER_REQUIRED) + "\n30001,not-an-email,Carol,Cole,active,2015-06-01\n",
    )
    common.perform_run(run.pk)
    _, text = download(reviewer_client, run)

    corrected = text.replace("not-an-email", "carol@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        upload(reviewer_client, ImportRun.Kind.ROSTER, corrected.encode())

    again = ImportRun.objects.latest("id")
    assert (again.status, again.created, again.rejected) == ("done", 1, 0)
