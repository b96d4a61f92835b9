"""Models of the monitoring part `exit` (see the package docstring)."""

__all__: list[str] = []
