"""The "CME staff" group: who may review patient-safety claims and run audits (docs/rules.md §4)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "CME staff"
PERMISSIONS = [
    ("credits", "review_claims"),
    ("credits", "view_creditentry"),
    ("credits", "view_reviewdecision"),
    ("credits", "view_documentationaudit"),
    ("members", "view_member"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0003_reviews"),
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
