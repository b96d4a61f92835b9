"""Settlement records are append-only at the database level (medical/triggers.py): a raw UPDATE or DELETE
of ``medical_settlement`` is refused on SQLite and PostgreSQL."""

from django.db import migrations

from jingzhun.medical import triggers


def forwards(apps, schema_editor):
    triggers.create_function(schema_editor)
    triggers.add_append_only(schema_editor)


def backwards(apps, schema_editor):
    triggers.drop_append_only(schema_editor)
    triggers.drop_function(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("medical", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
