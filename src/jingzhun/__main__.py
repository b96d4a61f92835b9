"""``python -m jingzhun`` is the ``jingzhun`` command (the demo re-executes itself this way to serve)."""

from jingzhun.cli import main

main()
