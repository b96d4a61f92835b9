"""What the part `cases` registers when the app is ready: the cadres' reported events as an input of the
monthly assessment, the 返贫预警 panel of the staff household page, and the cases on the 工作台's to-dos."""


def register() -> None:
    """Called once from `MonitoringConfig.ready`."""
    from jingzhun.core import monitoring_sources, panels
    from jingzhun.monitoring.cases.assess import reported_events
    from jingzhun.monitoring.cases.panel import cases_panel

    monitoring_sources.register_events("reported_events", reported_events)
    panels.register("monitoring_cases", 35, cases_panel)
    from jingzhun.core import todos
    from jingzhun.monitoring.todos import case_todos

    todos.register("monitoring_cases", 50, case_todos)
