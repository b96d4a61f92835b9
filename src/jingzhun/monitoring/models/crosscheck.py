"""Models of the monitoring part `crosscheck` (see the package docstring)."""

__all__: list[str] = []
