"""The member's tracer procedures (ABPS Continuous Certification): record, edit,
delete; errors next to their fields; someone else's is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from credits.models import CompletedTracerProcedure
from tests.factories import (
    ApprovedActivityFactory,
    CompletedTracerProcedureFactory,
    TracerProcedureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reduction():
    return TracerProcedureFactory(name="Breast reduction")


@pytest.fixture
def reduction_course(reduction):
    return ApprovedActivityFactory(title="Reduction Mammaplasty", tracer_procedure=reduction)


def test_a_member_records_a_tracer_procedure_with_its_aligned_activity(
    alice_client, alice, reduction_course
):
    response = alice_client.post(
        reverse("credits:tracer_list"),
        {
            "procedure": reduction_course.tracer_procedure.pk,
            "completed_on": "2025-03-01",
            "approved_activity": reduction_course.pk,
            "activity_completed_on": "2025-04-01",
        },
    )

    assert response.status_code == 302
    record = CompletedTracerProcedure.objects.get(member=alice)
    assert record.approved_activity == reduction_course
    assert record.activity_completed_on == dt.date(2025, 4, 1)
    page = alice_client.get(reverse("credits:tracer_list")).content.decode()
    assert "Reduction Mammaplasty" in page and "Breast reduction" in page


def test_an_activity_aligned_with_another_procedure_is_refused_next_to_its_field(
    alice_client, alice, reduction_course
):
    rhinoplasty = TracerProcedureFactory(name="Rhinoplasty")

    response = alice_client.post(
        reverse("credits:tracer_list"),
        {
            "procedure": rhinoplasty.pk,
            "completed_on": "2025-03-01",
            "approved_activity": reduction_course.pk,
            "activity_completed_on": "2025-04-01",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    field = body[body.index("field-approved_activity") :]
    assert "is aligned with Breast reduction, not with Rhinoplasty" in field[:2000]
    assert not CompletedTracerProcedure.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"completed_on": ""}, "completed_on", "This field is required."),
        ({"completed_on": "2999-01-01"}, "completed_on", "cannot be in the future"),
        ({"activity_completed_on": ""}, "activity_completed_on", "Give the date you completed"),
        (
            {"approved_activity": "", "activity_completed_on": "2025-04-01"},
            "approved_activity",
            "Choose the activity",
        ),
    ],
)
def test_mistakes_are_explained_next_to_their_field(
    alice_client, reduction_course, values, field, message
):
    data = {
        "procedure": reduction_course.tracer_procedure.pk,
        "completed_on": "2025-03-01",
        "approved_activity": reduction_course.pk,
        "activity_completed_on": "2025-04-01",
        **values,
    }

    response = alice_client.post(reverse("credits:tracer_list"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body[body.index(f"field-{field}") :][:1500]
    assert "Nothing you typed is lost" in body


def test_a_member_edits_and_deletes_their_tracer_procedure(alice_client, alice, reduction_course):
    record = CompletedTracerProcedureFactory(
        member=alice, procedure=reduction_course.tracer_procedure
    )
    url = reverse("credits:tracer_detail", args=[record.pk])

    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url,
        {
            "procedure": record.procedure_id,
            "completed_on": "2025-03-02",
            "approved_activity": reduction_course.pk,
            "activity_completed_on": "2025-05-01",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.completed_on, record.approved_activity) == (
        dt.date(2025, 3, 2),
        reduction_course,
    )

    assert alice_client.post(reverse("credits:tracer_delete", args=[record.pk])).status_code == 302
    assert not CompletedTracerProcedure.objects.exists()


def test_an_inactive_procedure_stays_on_a_record_that_names_it(alice_client, alice, reduction):
    record = CompletedTracerProcedureFactory(member=alice, procedure=reduction)
    reduction.active = False
    reduction.save()

    response = alice_client.post(
        reverse("credits:tracer_detail", args=[record.pk]),
        {"procedure": reduction.pk, "completed_on": "2025-03-05"},
    )

    assert response.status_code == 302
    new = alice_client.post(
        reverse("credits:tracer_list"), {"procedure": reduction.pk, "completed_on": "2025-03-05"}
    )
    assert new.status_code == 400  # not offered for new records


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "credits:tracer_detail"),
        ("post", "credits:tracer_detail"),
        ("post", "credits:tracer_delete"),
    ],
)
def test_someone_elses_tracer_procedure_is_a_404(client, alice, bob, reduction, method, url_name):
    record = CompletedTracerProcedureFactory(member=alice, procedure=reduction)
    client.force_login(bob.user)

    response = getattr(client, method)(
        reverse(url_name, args=[record.pk]),
        {"procedure": reduction.pk, "completed_on": "2025-01-01"},
    )

    assert response.status_code == 404
    record.refresh_from_db()
    assert record.completed_on == CompletedTracerProcedureFactory.completed_on


def test_the_list_shows_only_ones_own_tracer_procedures(client, alice, bob, reduction):
    CompletedTracerProcedureFactory(member=alice, procedure=reduction)
    client.force_login(bob.user)

    body = client.get(reverse("credits:tracer_list")).content.decode()

    assert "No tracer procedure recorded yet." in body
