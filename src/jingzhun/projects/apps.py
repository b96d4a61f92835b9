from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "jingzhun.projects"
    label = "projects"
    verbose_name = "项目资金库"

    def ready(self) -> None:
        from jingzhun.core import audit_scope
        from jingzhun.projects.points_actions import household_rows

        audit_scope.register("projects", household_rows)  # 爱心超市 rows in the household's 修改记录
