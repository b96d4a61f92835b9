"""Background-job records are never deleted (their progress is still updated), enforced by the database (core/triggers.py)."""

from django.db import migrations

from jingzhun.core import triggers


def forwards(apps, schema_editor):
    triggers.add(schema_editor, triggers.JOBS)


def backwards(apps, schema_editor):
    triggers.drop(schema_editor, triggers.JOBS)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_backgroundjob_progress_at")]

    operations = [migrations.RunPython(forwards, backwards)]
