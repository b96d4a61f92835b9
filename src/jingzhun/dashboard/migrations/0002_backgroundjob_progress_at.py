from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="backgroundjob",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近进展时间"),
        ),
    ]
