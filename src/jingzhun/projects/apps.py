from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "jingzhun.projects"
    label = "projects"
    verbose_name = "项目资金库"
