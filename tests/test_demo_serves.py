"""`make demo` ends by serving: `jingzhun demo` hands gunicorn real numbers (a direct call of the Typer
command `serve` gets no Typer defaults: its workers were once an OptionInfo, and the demo never served)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from jingzhun import site_cli


@pytest.mark.django_db
def test_demo_serves_with_gunicorn_on_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    from gunicorn.app.base import BaseApplication

    built: list[dict[str, Any]] = []
    served: dict[str, Any] = {}
    monkeypatch.setattr("jingzhun.demo.build_demo", lambda **kwargs: built.append(kwargs))
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)  # collectstatic

    def run(self: Any) -> None:
        served.update({name: self.cfg.settings[name].get() for name in ("bind", "workers", "threads")})

    monkeypatch.setattr(BaseApplication, "run", run)
    environ = {k: v for k, v in os.environ.items() if k != "JINGZHUN_PUBLIC_BASE_URL"}
    monkeypatch.setattr(os, "environ", environ)  # the demo's default base stays inside this test
    site_cli.demo(households=10, port=8123, no_serve=False, seed=1)
    assert environ["JINGZHUN_PUBLIC_BASE_URL"] == "http://127.0.0.1:8123"  # its 一码清 addresses
    assert built == [{"households": 10, "seed": 1}]
    assert served == {"bind": ["127.0.0.1:8123"], "workers": 2, "threads": 4}
