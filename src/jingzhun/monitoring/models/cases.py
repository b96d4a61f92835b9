"""Models of the monitoring part `cases` (see the package docstring)."""

__all__: list[str] = []
