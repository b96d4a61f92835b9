from django.db import migrations

from jingzhun.registry import regions_seed


def seed(apps, schema_editor):
    regions_seed.seed(apps.get_model("registry", "Region"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
