"""What the part `exit` registers when the app is ready (household panels, job kinds, reactions to other apps)."""


def register() -> None:
    """Called once from `MonitoringConfig.ready`."""
    from jingzhun.core import panels
    from jingzhun.monitoring.exit.panels import exit_panel

    panels.register("exit", 25, exit_panel)
