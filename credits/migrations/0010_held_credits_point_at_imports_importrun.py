# ImportRun moved from the members app to the imports app with its table unchanged: the
# foreign key of held meeting credits now names imports.ImportRun. State only: no SQL runs.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0009_entries_superseded_by_the_societys_record'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='heldmeetingcredit',
                    name='first_seen_run',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importrun'),
                ),
            ],
            database_operations=[],
        ),
    ]
