"""Database and server commands: migrate, serve, demo.

Why ``demo`` re-executes itself to serve: building the demo runs Polars queries, which start Polars'
(Rust/rayon) thread pool in that process. gunicorn forks its workers from the process that calls it, and a
forked child inherits the pool's state but not its threads, so the first Polars query in a worker (every
staff household page and 民生账本 runs the month engine) waited forever for threads that do not exist —
the workers hung, then login and the public pages with them, and SIGTERM could not stop them. ``serve``
must therefore start in a process that has not used Polars: ``demo`` replaces itself (``os.execv``, same
PID, so Ctrl+C and SIGTERM reach gunicorn) with ``python -m jingzhun serve``.

``serve`` refuses to start with the development ``SECRET_KEY`` unless ``JINGZHUN_DEBUG=1`` (Chinese
message, exit status 2; ``site/secret.py``). ``demo`` uses its own random key kept in ``var/secret-key``
and hands it to the re-executed ``serve`` as ``JINGZHUN_SECRET_KEY`` in the environment.

The working month (``JINGZHUN_WORKING_MONTH``, ``core/workday.py``): ``demo`` works in the month after its
last run (``DEMO_WORKING_MONTH``, 2020-07) unless the variable is set, keeps it in ``var/working-month``
and hands it to ``serve`` the same way; a later ``serve`` without the variable reads that file again (it
exists only where a demo was built), so a restarted demo server stays in 2020-07.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import typer

WORKING_MONTH_ENV = "JINGZHUN_WORKING_MONTH"
WORKING_MONTH_FILE = "working-month"


def _home() -> Path:
    return Path(os.environ.get("JINGZHUN_HOME", Path.cwd())).resolve()


def keep_demo_working_month(month: str) -> str:
    """The demo's working month: the environment's if set, else ``month``; written to var/working-month and
    put in the environment (before Django reads its settings; inherited by the exec'd serve)."""
    chosen = os.environ.get(WORKING_MONTH_ENV) or month
    var = _home() / "var"
    var.mkdir(parents=True, exist_ok=True)
    (var / WORKING_MONTH_FILE).write_text(chosen + "\n", encoding="utf-8")
    os.environ[WORKING_MONTH_ENV] = chosen
    return chosen


def use_kept_working_month() -> str:
    """``serve`` without ``JINGZHUN_WORKING_MONTH``: the demo's var/working-month if there is one."""
    if not os.environ.get(WORKING_MONTH_ENV):
        path = _home() / "var" / WORKING_MONTH_FILE
        if path.exists():
            os.environ[WORKING_MONTH_ENV] = path.read_text(encoding="utf-8").strip()
    return os.environ.get(WORKING_MONTH_ENV, "")


def migrate() -> None:
    """Create or upgrade the database named by DATABASE_URL."""
    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


WORKERS, THREADS = 2, 4


def serve(
    port: int = typer.Option(8000, "--port", help="端口"),
    workers: int = typer.Option(WORKERS, "--workers", help="工作进程数"),
    threads: int = typer.Option(THREADS, "--threads", help="每个进程的线程数"),
) -> None:
    """Serve the site on 127.0.0.1 with gunicorn (static files through WhiteNoise)."""
    from jingzhun.cli.djsetup import setup

    if working := use_kept_working_month():
        typer.echo(f"工作月份：{working}（{WORKING_MONTH_ENV}）")

    setup()
    from django.conf import settings
    from django.core.management import call_command

    from jingzhun.site.secret import REFUSAL, refused

    if refused(settings.DEBUG, settings.SECRET_KEY):
        typer.echo(REFUSAL, err=True)
        raise typer.Exit(2)
    from gunicorn.app.base import BaseApplication

    from jingzhun.site.warmup import warm_worker

    call_command("collectstatic", interactive=False, verbosity=0)
    # gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), shared by
    # every gunicorn on the machine: each server gets its own in a private temporary directory.
    control_dir = Path(tempfile.mkdtemp(prefix="jingzhun-gunicorn-"))

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 5)
            self.cfg.set("control_socket", str(control_dir / "gunicorn.ctl"))
            self.cfg.set("post_worker_init", warm_worker)

        def load(self) -> object:
            from jingzhun.site.wsgi import application

            return application

    typer.echo(f"网站已启动：http://127.0.0.1:{port}/   （Ctrl+C 退出）")
    master = os.getpid()
    try:
        _Server().run()
    finally:
        if os.getpid() == master:  # workers are forked inside run() and leave through here too
            shutil.rmtree(control_dir, ignore_errors=True)


def demo(
    households: int = typer.Option(20_000, "--households", help="合成户数"),
    port: int = typer.Option(8000, "--port", help="端口"),
    no_serve: bool = typer.Option(False, "--no-serve", help="只生成演示数据，不启动网站"),
    seed: int = typer.Option(2018, "--seed", help="随机种子"),
) -> None:
    """Fresh database: synthesise 离石区 → import → demo users → serve."""
    from jingzhun.site.secret import ENV, demo_key

    if not os.environ.get(ENV):  # before Django reads its settings; inherited by the exec'd serve
        home = Path(os.environ.get("JINGZHUN_HOME", Path.cwd())).resolve()
        os.environ[ENV] = demo_key(home / "var")
    from jingzhun.cli.demo import DEMO_WORKING_MONTH, build_demo

    keep_demo_working_month(DEMO_WORKING_MONTH)

    # The 一码清 addresses printed and shown should open this demo: its own port, unless a base is set.
    os.environ.setdefault("JINGZHUN_PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    build_demo(households=households, seed=seed)
    if not no_serve:
        exec_serve(port)


def exec_serve(port: int) -> None:
    """Replace this process by ``python -m jingzhun serve --port PORT`` (see the module docstring)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "jingzhun", "serve", "--port", str(port)])
