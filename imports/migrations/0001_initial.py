# The import runs and their rejected rows move from the members app to this one. Their tables
# stay as they are (members_importrun, members_importrejection): this migration only tells
# Django's model state where the models now live; it runs no SQL.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0010_help_texts_in_plain_words'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('roster', 'Members roster'), ('meeting_credits', 'Society meeting credits'), ('abps', 'ABPS records')], max_length=20)),
                        ('file_name', models.CharField(max_length=255)),
                        ('content', models.TextField(help_text='The file as uploaded (UTF-8 CSV).')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('stopped', 'Stopped'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('created', models.PositiveIntegerField(default=0)),
                        ('updated', models.PositiveIntegerField(default=0)),
                        ('unchanged', models.PositiveIntegerField(default=0)),
                        ('held', models.PositiveIntegerField(default=0)),
                        ('rejected', models.PositiveIntegerField(default=0)),
                        ('flagged_duplicates', models.PositiveIntegerField(default=0)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'members_importrun',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportRejection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('line', models.PositiveIntegerField(help_text='Line in the file, the header being line 1.')),
                        ('row', models.JSONField()),
                        ('reason', models.TextField()),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rejections', to='imports.importrun')),
                    ],
                    options={
                        'db_table': 'members_importrejection',
                        'ordering': ['run', 'line'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
