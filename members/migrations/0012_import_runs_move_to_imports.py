# ImportRun and ImportRejection now live in the imports app (imports 0001), on the same
# tables: the members app forgets them without dropping anything. State only: no SQL runs.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0011_security_log'),
        ('imports', '0001_initial'),
        ('credits', '0010_held_credits_point_at_imports_importrun'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ImportRejection'),
                migrations.DeleteModel(name='ImportRun'),
            ],
            database_operations=[],
        ),
    ]
