"""The QR-token history: never deleted; a token is only revoked and replaced, once, enforced by the database (core/triggers.py)."""

from django.db import migrations

from jingzhun.core import triggers


def forwards(apps, schema_editor):
    triggers.add(schema_editor, triggers.TOKENS)


def backwards(apps, schema_editor):
    triggers.drop(schema_editor, triggers.TOKENS)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
