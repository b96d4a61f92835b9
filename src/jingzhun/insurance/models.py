"""Models of insurance."""
