"""走访照片 belong to their 帮扶记录 (HelpPhoto), and the region-wide list's (date, id) index.

Photos saved before this migration are linked to the record they were saved with: 记一笔走访 wrote the
record and then, in the same request, the photo, both by the same login, so the record is the one of the
same household and the same 录入人 recorded in the minute before the upload (the nearest one). A photo
with no such record stays what it was — a valid household attachment (走访照片) — only not tied to a record.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

WINDOW = dt.timedelta(minutes=1)


def link_existing_photos(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("registry", "Attachment")
    HelpRecord = apps.get_model("helping", "HelpRecord")
    HelpPhoto = apps.get_model("helping", "HelpPhoto")
    photos = Attachment.objects.filter(kind="visit_photo", help_photo__isnull=True).order_by("id")
    for photo in photos.iterator():
        candidates = HelpRecord.objects.filter(
            household_id=photo.household_id,
            cadre_label=photo.uploaded_by,
            recorded_at__gte=photo.uploaded_at - WINDOW,
            recorded_at__lte=photo.uploaded_at,
            photos__isnull=True,
        ).order_by("-recorded_at", "-id")
        record = candidates.first()
        if record is not None:
            HelpPhoto.objects.create(record=record, attachment=photo)


class Migration(migrations.Migration):
    dependencies = [
        ("helping", "0001_initial"),
        ("registry", "0013_merge_status_contact"),
    ]

    operations = [
        migrations.CreateModel(
            name="HelpPhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "attachment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="help_photo",
                        to="registry.attachment",
                        verbose_name="照片",
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="photos",
                        to="helping.helprecord",
                        verbose_name="帮扶记录",
                    ),
                ),
            ],
            options={"verbose_name": "走访照片", "verbose_name_plural": "走访照片"},
        ),
        migrations.AddIndex(
            model_name="helprecord",
            index=models.Index(fields=["-date", "-id"], name="help_record_date"),
        ),
        migrations.RunPython(link_existing_photos, migrations.RunPython.noop),
    ]
