"""Database and server commands: migrate, serve, demo."""

from __future__ import annotations

import typer


def migrate() -> None:
    """Create or upgrade the database named by DATABASE_URL."""
    from jingzhun.djsetup import setup

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
    from jingzhun.djsetup import setup

    setup()
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    call_command("collectstatic", interactive=False, verbosity=0)

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 5)

        def load(self) -> object:
            from jingzhun.site.wsgi import application

            return application

    typer.echo(f"网站已启动：http://127.0.0.1:{port}/   （Ctrl+C 退出）")
    _Server().run()


def demo(
    households: int = typer.Option(20_000, "--households", help="合成户数"),
    port: int = typer.Option(8000, "--port", help="端口"),
    no_serve: bool = typer.Option(False, "--no-serve", help="只生成演示数据，不启动网站"),
    seed: int = typer.Option(2018, "--seed", help="随机种子"),
) -> None:
    """Fresh database: synthesise 离石区 → import → demo users → serve."""
    import os

    from jingzhun.demo import build_demo

    # The 一码清 addresses printed and shown should open this demo: its own port, unless a base is set.
    os.environ.setdefault("JINGZHUN_PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    build_demo(households=households, seed=seed)
    if not no_serve:  # every argument given: a direct call gets no Typer defaults
        serve(port=port, workers=WORKERS, threads=THREADS)
