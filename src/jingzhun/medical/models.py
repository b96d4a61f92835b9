"""Models of medical."""
