"""Audit rows are never updated or deleted, enforced by the database (core/triggers.py)."""

from django.db import migrations

from jingzhun.core import triggers


def forwards(apps, schema_editor):
    triggers.add(schema_editor, triggers.AUDIT)


def backwards(apps, schema_editor):
    triggers.drop(schema_editor, triggers.AUDIT)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
