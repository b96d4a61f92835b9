"""BackgroundJob moves from the dissolved ``dashboard`` app to ``core``; its table ``dashboard_backgroundjob`` is kept.

A database that ran the dashboard app's migrations already has the table (and its no-DELETE trigger):
only Django's state changes. A fresh database never runs those migrations (the app is gone), so the table
and its trigger are created here when missing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from jingzhun.core import triggers


def create_table_if_missing(apps, schema_editor):
    model = apps.get_model("core", "BackgroundJob")
    if model._meta.db_table in schema_editor.connection.introspection.table_names():
        return
    schema_editor.create_model(model)
    triggers.add(schema_editor, triggers.JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BackgroundJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("import", "户籍导入"), ("month_preview", "月度发放试算"), ("month_run", "月度发放")], max_length=16, verbose_name="类型")),
                        ("region_prefix", models.CharField(blank=True, max_length=12, verbose_name="区域范围（代码前缀）")),
                        ("params", models.JSONField(blank=True, default=dict, verbose_name="参数")),
                        ("status", models.CharField(choices=[("queued", "排队中"), ("running", "进行中"), ("done", "已完成"), ("failed", "失败")], default="queued", max_length=16, verbose_name="状态")),
                        ("stage", models.CharField(blank=True, max_length=100, verbose_name="当前步骤")),
                        ("done", models.PositiveIntegerField(default=0, verbose_name="已完成")),
                        ("total", models.PositiveIntegerField(default=0, verbose_name="总量")),
                        ("result", models.JSONField(blank=True, null=True, verbose_name="结果")),
                        ("task_id", models.CharField(blank=True, max_length=64, verbose_name="任务编号")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("progress_at", models.DateTimeField(blank=True, null=True, verbose_name="最近进展时间")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="发起人")),
                    ],
                    options={
                        "verbose_name": "后台任务",
                        "verbose_name_plural": "后台任务",
                        "ordering": ["-id"],
                        "db_table": "dashboard_backgroundjob",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_if_missing, migrations.RunPython.noop),
    ]
