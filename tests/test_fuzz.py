"""Bad input never gives a 500: Hypothesis fuzzes the forms and the import files.

Forms: any text in any field gets the form again with messages (400) or is saved (302).
Import files: any bytes end as a run that is done or failed with a message; when the header
is right, every data row is accounted for (created, unchanged, held or rejected with a
reason), so nothing in a file is ever lost silently. The API is fuzzed from its schema by
tests/api/test_schema_fuzz.py.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits import services
from imports import registry
from imports import services as import_services
from imports.models import ImportRun
from imports.reading import decode_file
from imports.stream import ImportFileError

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    # One member and one browser serve every example: what they hold does not matter here.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that looks like what people type, and text that does not.
plausible = st.sampled_from(
    ["", " ", "0", "-1", "1.3", "5", "7.25", "1e9", "NaN", "2025-05-01", "2099-01-01",
     "5/1/2025", "31/31/2025", "general", "tops", "1", "2", "live_activity", "ASPS",
     "Baker Gordon Educational Foundation", "=HYPERLINK(\"x\")", "<script>", "\x00", "é"]
)  # fmt: skip
anything = st.one_of(plausible, st.text(max_size=300))

CREDIT_FIELDS = (*services.ENTRY_FIELDS, "confirm_duplicate")


@FUZZ
@given(form=st.fixed_dictionaries({}, optional=dict.fromkeys(CREDIT_FIELDS, anything)))
def test_the_credit_form_answers_any_input_without_a_server_error(alice_client, form):
    response = alice_client.post("/credits/new/", form)

    assert response.status_code in (302, 400)
    title = form.get("title", "").strip()
    if response.status_code == 400 and title.isprintable():
        # The form again, with messages, and what was typed still in it.
        body = response.content.decode()
        assert 'class="errorlist' in body
        assert escape(title) in body


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["cycle", "start", "end", "member"]), anything))
def test_the_report_answers_any_query_without_a_server_error(alice_client, query):
    for url in ("/reports/cme/", "/reports/cme/csv/"):
        assert alice_client.get(url, query).status_code in (200, 400, 404)


@FUZZ
@given(form=st.dictionaries(st.sampled_from(["decision", "note"]), anything))
def test_the_review_decision_answers_any_input_without_a_server_error(reviewer_client, alice, form):
    from tests.factories import CreditEntryFactory

    claim = CreditEntryFactory(member=alice)

    assert reviewer_client.post(f"/staff/reviews/{claim.pk}/", form).status_code in (302, 400)


def csv_of(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def upload(kind: str, content: bytes) -> ImportRun | None:
    """What the upload page and the commands do with a file: read it, check its header, and
    import it; ``None`` when the file is refused as a whole (with a message for staff)."""
    try:
        text = decode_file(content)
        import_services.check_file(kind, text)
    except ImportFileError as error:
        assert str(error)
        return None
    run = import_services.run_create(kind=kind, file_name="fuzz.csv", content=text)
    return import_services.perform_run(run.pk)


KINDS = list(ImportRun.Kind.values)  # every kind, the catalogue included


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("kind", KINDS)
def test_any_rows_under_the_right_header_are_each_accounted_for(alice, kind, data):
    required, optional = registry.get(kind).required, registry.get(kind).optional
    header = [*required, *optional]
    ids = st.sampled_from([alice.asps_id, "99999", "", "abc"])
    row = st.tuples(*(ids if column == "asps_id" else anything for column in header)).map(list)
    rows = data.draw(st.lists(row, max_size=8))
    text = csv_of(header, rows)

    run = upload(kind, text.encode())
    if run is None:  # refused as a whole (a NUL character, say)
        return

    assert run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED), run.error
    if run.status == ImportRun.Status.DONE:
        # Blank lines (nothing but spaces) are skipped by every import, as by the reader.
        lines = sum(1 for values in csv.reader(io.StringIO(text)) if "".join(values).strip()) - 1
        accounted = run.created + run.updated + run.unchanged + run.held + run.rejected
        assert accounted == lines, (run.__dict__, text)
        assert all(rejection.reason for rejection in run.rejections.all())
    else:
        assert run.error


@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)))
@pytest.mark.parametrize("kind", KINDS)
def test_any_bytes_as_a_file_are_refused_or_imported_never_an_error(kind, content):
    run = upload(kind, content)

    assert run is None or run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED)
