"""Append-only at the database level: every UPDATE or DELETE of a ledger row raises.

The model layer already refuses; these triggers also stop raw SQL, the admin, a shell or another
program. SQLite and PostgreSQL need different SQL, so each statement runs only on its own vendor.
PostgreSQL's TRUNCATE fires no row trigger: wiping a whole test database stays possible there.
"""

from django.db import migrations

from jingzhun.ledger.triggers import add_append_only, drop_append_only

TABLES = (
    "ledger_runsnapshot",
    "ledger_monthrun",
    "ledger_paymentline",
    "ledger_bankbatch",
    "ledger_paymentstatusevent",
)


def forwards(apps, schema_editor):
    add_append_only(schema_editor, TABLES)


def backwards(apps, schema_editor):
    drop_append_only(schema_editor, TABLES)


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger is append-only: % refused on %', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$
            """,
            None,  # no parameters: the % are plpgsql's placeholders, not the driver's
        )


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(create_function, drop_function),
        migrations.RunPython(forwards, backwards),
    ]
