"""HelpRecord now belongs to the ``helping`` app (helping 0001); the table ``assistance_helprecord`` stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_help_record_form_token"),
        ("helping", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="HelpRecord")], database_operations=[]),
    ]
