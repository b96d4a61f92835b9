"""HelpRecord moves from the assistance app to ``helping``; its table ``assistance_helprecord`` is kept.

Only Django's state changes: the table was created by assistance 0002/0003 (which still run on a fresh
database) and assistance 0004 removes the model from the assistance app's state.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assistance", "0003_help_record_form_token"),
        ("registry", "0006_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HelpRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(verbose_name="帮扶日期")),
                        ("kind", models.CharField(choices=[("visit", "走访慰问"), ("industry", "产业帮扶"), ("employment", "就业帮扶"), ("education", "教育帮扶"), ("health", "健康帮扶"), ("housing", "住房保障"), ("finance", "金融帮扶"), ("other", "其他")], max_length=16, verbose_name="帮扶类别")),
                        ("content", models.TextField(verbose_name="帮扶内容")),
                        ("value_fen", models.BigIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name="折合金额（分）")),
                        ("cadre_label", models.CharField(max_length=150, verbose_name="录入人标识")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="录入时间")),
                        ("public", models.BooleanField(default=True, verbose_name="在一码清公开")),
                        ("public_text", models.CharField(blank=True, max_length=60, verbose_name="公开说明")),
                        ("voided_at", models.DateTimeField(blank=True, null=True, verbose_name="作废时间")),
                        ("void_reason", models.TextField(blank=True, verbose_name="作废原因")),
                        ("voided_by_label", models.CharField(blank=True, max_length=150, verbose_name="作废人标识")),
                        ("form_token", models.CharField(blank=True, editable=False, max_length=32, null=True, unique=True, verbose_name="表单标识")),
                        ("cadre", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="录入人")),
                        ("household", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="help_records", to="registry.household", verbose_name="户")),
                    ],
                    options={
                        "verbose_name": "帮扶记录",
                        "verbose_name_plural": "帮扶记录",
                        "ordering": ["household", "-date", "-id"],
                        "db_table": "assistance_helprecord",
                        "indexes": [models.Index(fields=["household", "date"], name="help_record_household_date")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("value_fen__isnull", True), ("value_fen__gte", 0), _connector="OR"), name="help_record_value_not_negative")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
