"""Append-only at the database level: every UPDATE or DELETE of a ledger row raises.

The model layer already refuses; these triggers also stop raw SQL, the admin, a shell or another
program. SQLite and PostgreSQL need different SQL, so each statement runs only on its own vendor.
PostgreSQL's TRUNCATE fires no row trigger: wiping a whole test database stays possible there.
"""

from django.db import migrations

TABLES = (
    "ledger_runsnapshot",
    "ledger_monthrun",
    "ledger_paymentline",
    "ledger_bankbatch",
    "ledger_paymentstatusevent",
)
MESSAGE = "ledger is append-only: % refused on %"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if vendor == "sqlite":
                text = MESSAGE.replace("%", op, 1).replace("%", table, 1)
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{text}'); END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW "
                                      "EXECUTE FUNCTION ledger_refuse_change()")
            else:
                raise RuntimeError(f"append-only triggers are written for SQLite and PostgreSQL, not {vendor}")


def backwards(apps, schema_editor):
    for table in TABLES:
        for op in ("update", "delete"):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


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
