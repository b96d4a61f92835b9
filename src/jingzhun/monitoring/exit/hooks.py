"""What the part `exit` registers when the app is ready (household panels, job kinds, reactions to other apps)."""


def register() -> None:
    """Called once from `MonitoringConfig.ready`."""
