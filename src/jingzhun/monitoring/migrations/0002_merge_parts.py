"""The monitoring parts (exit, cases, crosscheck) each began with their own initial migration, written side by
side; this joins them into one history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_cases"),
        ("monitoring", "0001_crosscheck"),
        ("monitoring", "0001_exit"),
    ]

    operations: list[migrations.operations.base.Operation] = []
