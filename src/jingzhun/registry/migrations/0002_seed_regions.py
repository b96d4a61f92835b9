from django.db import migrations

from jingzhun.registry.regions_seed import CITY, COUNTIES, PROVINCE


def seed(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    province, _ = Region.objects.get_or_create(code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": "province"})
    city, _ = Region.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": "city", "parent": province}
    )
    for code, name in COUNTIES:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": "county", "parent": city})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
