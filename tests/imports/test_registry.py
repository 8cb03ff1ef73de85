"""The imports home: the registry of kinds, the one task that runs them, the moved tables."""

from __future__ import annotations

import pytest

from cmetrack.celery import app
from credits import abps_import, meeting_import
from imports import registry, services, tasks
from imports.models import ImportRejection, ImportRun
from members import roster_import


def test_each_app_registers_its_kinds_in_the_order_of_the_enum():
    kinds = registry.kinds()
    assert [kind.key for kind in kinds] == list(ImportRun.Kind.values)
    assert [kind.label for kind in kinds] == list(ImportRun.Kind.labels)
    assert registry.get(ImportRun.Kind.ROSTER).required == roster_import.ROSTER_REQUIRED
    assert registry.get(ImportRun.Kind.MEETING_CREDITS).optional == (
        meeting_import.MEETING_OPTIONAL
    )
    assert registry.get(ImportRun.Kind.ABPS).importer is abps_import.import_abps
    assert all(kind.description and kind.button for kind in kinds)


def test_a_kind_must_be_stored_in_the_enum_and_count_known_counts():
    kind = registry.get(ImportRun.Kind.ROSTER)
    with pytest.raises(ValueError, match=r"not an ImportRun\.Kind"):
        registry.register(registry.ImportKind("unknown", (), (), kind.importer, ("created",)))
    with pytest.raises(ValueError, match="Unknown counts"):
        registry.register(registry.ImportKind(kind.key, (), (), kind.importer, ("lost",)))
    assert registry.get(ImportRun.Kind.ROSTER) is kind


def test_one_task_runs_every_kind_and_no_two_tasks_share_a_name():
    app.loader.import_default_modules()
    for kind in registry.kinds():
        assert tasks.task_of(kind.key).name == "imports.run_import"
    short_names = [name.rsplit(".", 1)[-1] for name in app.tasks if not name.startswith("celery.")]
    assert short_names.count("run_import") == 1


@pytest.mark.django_db
def test_the_summary_lists_the_counts_of_the_kind():
    run = services.run_create(kind=ImportRun.Kind.ABPS, file_name="a.csv", content="")
    run.created, run.rejected = 3, 1
    assert services.run_summary(run) == ("created 3, unchanged 0, rejected 1, flagged duplicates 0")


def test_the_models_keep_their_tables():
    assert ImportRun._meta.db_table == "members_importrun"
    assert ImportRejection._meta.db_table == "members_importrejection"
