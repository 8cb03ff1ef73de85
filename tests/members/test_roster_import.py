"""Members roster import (docs/imports.md: upsert by ASPS ID, invitations, no
default password)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from imports import services
from imports.models import ImportRun
from imports.reading import read_csv
from imports.stream import ImportFileError
from members import roster_import
from members.models import Member, User
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(roster_import.ROSTER_COLUMNS)


def line(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "30001",
        "email": "Carol.Chen@Example.org",
        "first_name": "Carol",
        "last_name": "Chen",
        "membership_type": "active",
        "joined_on": "2019-03-09",
        "cycle_start": "",
        **changes,
    }


def csv_text(*rows: dict[str, str]) -> str:
    columns = HEADER.split(",")
    return "\n".join([HEADER, *(",".join(row[c] for c in columns) for row in rows)]) + "\n"


def run_import(text: str) -> ImportRun:
    run = services.run_create(kind=ImportRun.Kind.ROSTER, file_name="roster.csv", content=text)
    return services.perform_run(run.pk)


def test_a_new_member_gets_a_login_without_a_usable_password(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(csv_text(line()))

    assert (run.status, run.created, run.updated, run.rejected) == ("done", 1, 0, 0)
    member = Member.objects.select_related("user").get(asps_id="30001")
    assert member.user.email == "carol.chen@example.org"
    assert (member.first_name, member.last_name, member.membership_type) == (
        "Carol",
        "Chen",
        "active",
    )
    # docs/rules.md §2 Decision: the first cycle starts on 1 January after joining.
    assert member.cycle_start == dt.date(2020, 1, 1)
    assert not member.user.has_usable_password()


def test_the_invitation_is_sent_once_and_its_link_sets_the_password_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(csv_text(line()))
    with django_capture_on_commit_callbacks(execute=True):
        run_import(csv_text(line()))  # the same roster again: no second invitation

    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["carol.chen@example.org"]
    assert "Dear Dr. Chen" in invitation.body
    assert "ASPS ID 30001" in invitation.body
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/welcome/\S+)", invitation.body)
    assert link, invitation.body

    user = User.objects.get(email="carol.chen@example.org")
    assert not client.login(username=user.email, password="")
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a long passphrase she chose"
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.has_usable_password()
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "carol.chen@example.org", "password": new_password}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == user

    client.logout()
    reused = client.get(link.group(1), follow=True)
    assert reused.context["token_fail"]


def test_the_roster_upserts_by_asps_id(django_capture_on_commit_callbacks):
    existing = MemberFactory(
        asps_id="30001",
        user__email="carol.chen@example.org",
        first_name="Carol",
        last_name="Smith",
        membership_type="candidate",
        joined_on=dt.date(2019, 3, 9),
        cycle_start=dt.date(2021, 7, 1),
    )
    untouched = MemberFactory(
        asps_id="30002", user__email="dan@example.org", first_name="Dan", last_name="Doe"
    )
    text = csv_text(
        line(last_name="Chen", membership_type="active"),
        line(
            asps_id="30002",
            email="DAN@example.org",
            first_name="Dan",
            last_name="Doe",
            membership_type=untouched.membership_type,
            joined_on=untouched.joined_on.isoformat(),
            cycle_start=untouched.cycle_start.isoformat(),
        ),
        line(asps_id="30003", email="erin@example.org", first_name="Erin", last_name="Eve"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(text)

    assert (run.created, run.updated, run.unchanged, run.rejected) == (1, 1, 1, 0)
    existing.refresh_from_db()
    assert (existing.last_name, existing.membership_type) == ("Chen", "active")
    # An empty cycle_start leaves the cycle staff set.
    assert existing.cycle_start == dt.date(2021, 7, 1)
    assert [m.to for m in mail.outbox] == [["erin@example.org"]]


def test_a_changed_email_replaces_the_login_email():
    member = MemberFactory(asps_id="30001", user__email="old@example.org")

    run = run_import(
        csv_text(
            line(
                email="new@example.org",
                first_name=member.first_name,
                last_name=member.last_name,
                joined_on=member.joined_on.isoformat(),
            )
        )
    )

    assert run.updated == 1
    member.user.refresh_from_db()
    assert member.user.email == "new@example.org"


def test_bad_rows_are_kept_with_their_reasons_and_good_rows_import():
    MemberFactory(asps_id="40000", user__email="taken@example.org")
    text = csv_text(
        line(),
        line(asps_id="30002", email="not-an-email"),
        line(asps_id="30003", email="x3@example.org", membership_type="honorary"),
        line(asps_id="30004", email="x4@example.org", joined_on="2019-02-30"),
        line(asps_id="30005", email="taken@example.org"),
        line(asps_id="30001", email="again@example.org"),
        line(asps_id="30006", email="carol.chen@example.org"),
        line(asps_id="30007", email="x7@example.org", cycle_start="soon"),
    )

    run = run_import(text)

    assert (run.created, run.rejected) == (1, 7)
    reasons = {r.line: r.reason for r in run.rejections.all()}
    assert reasons[3] == "email: “not-an-email” is not an email address."
    assert "membership_type: “honorary” is not a membership type; use one of active" in reasons[4]
    assert reasons[5] == "joined_on: “2019-02-30” is not a date (YYYY-MM-DD)."
    assert "belongs to member ASPS ID 40000" in reasons[6]
    assert "ASPS ID 30001 already appeared on line 2" in reasons[7]
    assert "The email carol.chen@example.org already appeared on line 2" in reasons[8]
    assert "cycle_start: “soon” is not a date" in reasons[9]
    assert run.rejections.get(line=4).row["membership_type"] == "honorary"


def test_an_email_of_another_member_is_refused_on_update():
    MemberFactory(asps_id="30001", user__email="carol@example.org")
    MemberFactory(asps_id="30002", user__email="dan@example.org")

    run = run_import(csv_text(line(email="dan@example.org")))

    assert (run.updated, run.rejected) == (0, 1)
    assert "belongs to member ASPS ID 30002" in run.rejections.get().reason


def test_a_staff_login_with_the_members_email_becomes_the_members_login():
    staff = UserFactory(email="carol.chen@example.org", is_staff=True)

    run = run_import(csv_text(line()))

    assert run.created == 1
    assert Member.objects.get(asps_id="30001").user == staff
    assert len(mail.outbox) == 0  # they have a password already


def test_the_import_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    MemberFactory.create_batch(5)
    rows = [line(asps_id=f"5{n:04}", email=f"m{n}@example.org") for n in range(40)]
    run = services.run_create(
        kind=ImportRun.Kind.ROSTER, file_name="roster.csv", content=csv_text(*rows)
    )

    # 15, and the new members' compliance summaries, once for the batch: their cycle starts,
    # their totals, the rows of other cycles, the upsert (80 rows: two statements on SQLite).
    with django_assert_max_num_queries(20):
        services.perform_run(run.pk)

    assert Member.objects.filter(asps_id__startswith="5").count() == 40


def test_the_command_prints_the_counts(tmp_path, capsys, django_capture_on_commit_callbacks):
    path = tmp_path / "roster.csv"
    path.write_text(csv_text(line(), line(asps_id="30002", email="bad")))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_members", str(path))

    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, rejected 1" in out
    assert "line 3: email: “bad” is not an email address." in out


def test_the_command_explains_a_missing_column(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("asps_id,email\n1,a@example.org\n")

    with pytest.raises(Exception, match="lacks the columns first_name, last_name"):
        call_command("import_members", str(path))


def test_a_file_with_old_mac_line_ends_imports_and_one_that_is_not_csv_is_refused():
    mac = csv_text(line(), line(asps_id="30002", email="d@example.org")).replace("\n", "\r")

    assert run_import(mac).created == 2
    too_long = f'{HEADER}\n"{"x" * 200_000}"\n'
    with pytest.raises(ImportFileError, match="Line 2 cannot be read as CSV"):
        read_csv(too_long, required=roster_import.ROSTER_REQUIRED)
