"""Household list search at 10⁵ households (issue #6).

* ``Person.id_tail``: the last 4 characters of the 身份证号, a stored generated column (the database fills
  it on every insert and update, the importer's bulk INSERT/COPY included), indexed with the household.
* ``household_status_village``: the county-wide status filter counts from the index alone.
* The member-name search (``name LIKE '%…%'``), one index per database: on PostgreSQL a pg_trgm GIN index
  that answers a search of 3 or more characters from the index; on SQLite, which has no such index type,
  a narrow (name, household) index that the search scans instead of the wide person table. Neither is
  declared on the model: each exists on one database only.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

NAME_INDEX = {
    "postgresql": "CREATE INDEX IF NOT EXISTS person_name_trgm ON registry_person USING gin (name gin_trgm_ops)",
    "sqlite": "CREATE INDEX IF NOT EXISTS person_name_household ON registry_person (name, household_id)",
}
NAME_INDEX_NAME = {"postgresql": "person_name_trgm", "sqlite": "person_name_household"}


def create_name_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    if vendor in NAME_INDEX:
        schema_editor.execute(NAME_INDEX[vendor])


def drop_name_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor in NAME_INDEX_NAME:  # pg_trgm stays installed: other objects may use it
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX_NAME[vendor]}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_tail",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Right("id_number", 4),
                output_field=models.CharField(max_length=4),
                verbose_name="身份证号后4位",
            ),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["status", "village", "active"], name="household_status_village"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["id_tail", "household"], name="person_id_tail"),
        ),
        migrations.RunPython(create_name_index, drop_name_index, elidable=False),
    ]
