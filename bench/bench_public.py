"""Benchmark: the 一码清 public pages under 200 requests/s for 30 s against a 100 000-household county.

    uv run python bench/bench_public.py [--households 100000] [--rate 200] [--seconds 30]
                                        [--server gunicorn|django] [--workers 2] [--threads 4] [--cold]
                                        [--fresh] [--drop] [--wrk]
    uv run python bench/bench_public.py --in-process 2000 [--profile 40]

Target (issue #6): household page p99 < 50 ms at 200 req/s for 30 s on loopback.

Builds (or reuses) a dedicated PostgreSQL database ``jingzhun_bench_public`` (created and dropped here
through psycopg; ``BENCH_PG_ADMIN_URL`` names the server) with regions, households (clustered by
village, as an import writes them), persons, one public token each (``ensure_tokens``) and
payment lines for the registered households (低保 for three months of this year, 价格临时补贴 for
half of them), then ``VACUUM ANALYZE``. 90 % household pages, 8 % village, 2 % township, drawn from 5 000 household,
400 village and 50 township tokens. The rate limit is raised for the run (every request still goes
through it, so its shared counter file is part of the cost).

Servers: ``gunicorn`` (default) is what ``jingzhun serve`` runs: gunicorn (a locked dependency) with
``--workers`` processes × ``--threads`` threads (gthread; default 2 × 4) and persistent database
connections (``CONN_MAX_AGE=60``). ``django`` is Django's threaded wsgiref server (one thread per
request, so no persistent connections), kept for comparison. Overrides live in a generated
``bench_settings.py``. The server's child processes are started in their own process group and
stopped by it.

Load: before the open-loop run, a 15 s closed-loop phase (``--concurrency`` clients) measures what
the server sustains and its CPU per request (user + system of the server's processes; PostgreSQL not
included). Then an asyncio client on 127.0.0.1 drives it open-loop: request *i* is due at
``start + i / rate`` and its latency runs from that due time, so a slow server cannot hide queueing
(no coordinated omission). The closed-loop phase walks the same paths first, so the open-loop run
finds most pages already in each worker's page cache (the case of labels scanned again); what a
never-seen page costs is the cold pass of ``--in-process``, or ``--cold``: no closed-loop phase,
and every household page of the open-loop run is a different one (none comes from the cache).
Prints p50/p90/p99 and writes ``bench/results/public-gunicorn[-cold].json`` (``public.json`` for
``django``), with the load average before and after: on a shared machine the latency figures are
only as good as the machine is quiet. Loops are bounded: ``rate × seconds`` requests, at most 512
in flight, 10 s timeout each.

``--wrk`` drives the measured run with wrk instead (Debian's package, installed when missing; the
issue names wrk or locust): the same paths, 4 keep-alive connections paced to about ``--rate``
(wrk has no fixed rate), figures read back from ``bench/wrk_public.lua``'s ``done()``; results in
``public-gunicorn-wrk[-cold].json``.

``--in-process N`` starts no server and sends no traffic: it times N requests through Django's WSGI
handler in this process, once with an empty page cache and once warm, and reports wall and CPU
milliseconds per request for this process and for its PostgreSQL backend (from /proc), plus the
cost of one rate-limit count. CPU time holds on a busy machine where wall-clock latency does not.
Writes ``bench/results/public-in-process.json``; ``--profile K`` prints cProfile's top K functions of a cold pass.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNTY = "141130"  # 交口县, where 一码清 started
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "jingzhun_bench_public"
HOST = "127.0.0.1"
HOUSEHOLDS_PER_VILLAGE = 250
VILLAGES_PER_TOWNSHIP = 30


SERVERS = {
    "django": "Django's threaded wsgiref server (thread per request, 1 process, backlog 128)",
    "gunicorn": "gunicorn {workers} workers × {threads} threads (gthread), as `jingzhun serve` runs it",
}


def _db_url() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1) + f"/{PG_DB}"


def _django(db_url: str, home: Path) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["JINGZHUN_HOME"] = str(home)
    from jingzhun.cli.djsetup import setup

    setup()


def prepare_database(households: int, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone()
        if exists and fresh:
            conn.execute(f"DROP DATABASE {PG_DB} WITH (FORCE)")
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE {PG_DB}")


def populate(households: int, seed: int = 2018) -> dict[str, int]:
    """Migrate, then bulk-insert regions, households, persons and tokens up to ``households``."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.public.actions import ensure_tokens
    from jingzhun.registry.models import Household, Person, Region

    have = Household.objects.filter(village__code__startswith=COUNTY).count()
    if have < households:
        t0 = time.perf_counter()
        rng = random.Random(seed)
        county = Region.objects.get(code=COUNTY)
        n_villages = -(-households // HOUSEHOLDS_PER_VILLAGE)
        n_towns = -(-n_villages // VILLAGES_PER_TOWNSHIP)
        existing = set(Region.objects.filter(code__startswith=COUNTY).values_list("code", flat=True))
        town_codes = [f"{COUNTY}{t + 1:03d}000" for t in range(n_towns)]
        Region.objects.bulk_create(
            Region(code=code, name=f"第{t + 1}镇", level="township", parent=county)
            for t, code in enumerate(town_codes)
            if code not in existing
        )
        towns = {town.code: town for town in Region.objects.filter(code__in=town_codes)}
        village_codes = [(v, f"{town_codes[v % n_towns][:9]}{v // n_towns + 1:03d}") for v in range(n_villages)]
        Region.objects.bulk_create(
            Region(code=code, name=f"第{v + 1}村", level="village", parent=towns[code[:9] + "000"])
            for v, code in village_codes
            if code not in existing
        )
        villages = list(Region.objects.filter(code__startswith=COUNTY, level="village").order_by("code"))
        statuses = [None, None, "not_exited", "exited_supported", "exited_supported", "exited_closed"]
        rows = []
        for i in range(have, households):
            status = rng.choice(statuses)
            rows.append(
                Household(
                    household_no=f"{COUNTY}B{i:07d}",
                    village=villages[min(i // HOUSEHOLDS_PER_VILLAGE, len(villages) - 1)],  # clustered, as imported
                    address="-",
                    area="rural",
                    housing_grade="A",
                    registered_year=2015 if status else None,
                    status=status,
                    cadre_name="帮扶干部",
                    cadre_phone="0358-0000000",
                )
            )
        Household.objects.bulk_create(rows, batch_size=5_000)
        new = Household.objects.filter(household_no__gte=f"{COUNTY}B{have:07d}", household_no__startswith=f"{COUNTY}B")
        people = []
        surnames, given = "王李张刘陈杨赵黄周吴", "明华强海山平福宝林芳"
        for pk, no in new.values_list("pk", "household_no").iterator(chunk_size=10_000):
            i = int(no[-7:])
            for m in range(rng.choice([1, 2, 3, 3, 4, 5])):
                people.append(
                    Person(
                        household_id=pk,
                        id_number=f"B{i:07d}{m:010d}",
                        name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                        relation="head" if m == 0 else "child",
                        sex="M",
                        birth_date=dt.date(1950 + m * 10, 1, 1),
                        self_care="full",
                        labour="full",
                        student="none",
                    )
                )
            if len(people) >= 50_000:
                Person.objects.bulk_create(people, batch_size=5_000)
                people = []
        Person.objects.bulk_create(people, batch_size=5_000)
        print(f"populated {households - have} households in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    ledger_rows = populate_ledger(have < households, seed)
    help_rows = populate_help(seed)
    t0 = time.perf_counter()
    issued = ensure_tokens(Actor.system("bench_public"), COUNTY)
    seconds = time.perf_counter() - t0
    print(f"ensure_tokens issued {issued.total} tokens in {seconds:.1f} s", file=sys.stderr)
    if have < households or issued.total or ledger_rows or help_rows:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # fresh planner statistics after the bulk load, as a DBA would
    return {
        "households": Household.objects.filter(village__code__startswith=COUNTY).count(),
        "persons": Person.objects.filter(household__village__code__startswith=COUNTY).count(),
        "villages": Region.objects.filter(code__startswith=COUNTY, level="village").count(),
        "townships": Region.objects.filter(code__startswith=COUNTY, level="township").count(),
        "tokens_issued_now": issued.total,
        "payment_lines": PaymentLine.objects.filter(household__village__code__startswith=COUNTY).count(),
        "ensure_tokens_seconds": round(seconds, 2),
    }


LEDGER_MONTHS = 3
WARM_UP_HOUSEHOLDS = 600  # --cold: household pages (6 s at 100/s) that warm the server, then never asked for


def populate_ledger(fresh_households: bool, seed: int) -> int:  # lines inserted now
    """Payment lines for the registered households: 低保 for the first LEDGER_MONTHS months of this
    year, and 价格临时补贴 for every other one, so household, village and township pages sum real
    rows. Bulk-inserted (the ledger is append-only: inserts only), once."""
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.registry.models import Household

    lines = PaymentLine.objects.filter(household__village__code__startswith=COUNTY)
    if lines.exists() and not fresh_households:
        return 0
    before = lines.count()
    t0 = time.perf_counter()
    rng = random.Random(seed + 1)
    year = dt.date.today().year
    rows: list[PaymentLine] = []
    registered = Household.objects.filter(village__code__startswith=COUNTY, registered_year__isnull=False)
    for pk in registered.exclude(payment_lines__isnull=False).values_list("pk", flat=True).iterator(chunk_size=10_000):
        for month in range(1, LEDGER_MONTHS + 1):
            common = {"household_id": pk, "month": dt.date(year, month, 1), "kind": "payment"}
            rows.append(
                PaymentLine(program="dibao", amount_fen=rng.randint(300, 900) * 100, **common, actor_label="bench")
            )
            if pk % 2:
                rows.append(PaymentLine(program="price_subsidy", amount_fen=5_000, **common, actor_label="bench"))
        if len(rows) >= 50_000:
            PaymentLine.objects.bulk_create(rows, batch_size=5_000)
            rows = []
    PaymentLine.objects.bulk_create(rows, batch_size=5_000)
    added = int(lines.count()) - before
    print(f"{added} payment lines inserted in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return added


def populate_help(seed: int) -> int:  # records inserted now
    """Two public 帮扶记录 of this year for every registered household (pages with measures run their
    query, as in a real county), bulk-inserted once: bench data, not a user's write."""
    from jingzhun.helping.models import HelpRecord
    from jingzhun.registry.models import Household

    records = HelpRecord.objects.filter(household__village__code__startswith=COUNTY)
    if records.exists():
        return 0
    t0 = time.perf_counter()
    rng = random.Random(seed + 2)
    year = dt.date.today().year
    kinds = [
        ("industry", "发放核桃苗 200 株"),
        ("employment", "安排护林员公益岗位"),
        ("visit", ""),
        ("health", "家庭医生签约"),
    ]
    rows: list[HelpRecord] = []
    registered = Household.objects.filter(village__code__startswith=COUNTY, registered_year__isnull=False)
    for pk in registered.values_list("pk", flat=True).iterator(chunk_size=10_000):
        for _ in range(2):
            kind, text = rng.choice(kinds)
            day = dt.date(year, rng.randint(1, 3), rng.randint(1, 28))
            rows.append(
                HelpRecord(
                    household_id=pk, date=day, kind=kind, content="入户走访", public_text=text, cadre_label="bench"
                )
            )
    HelpRecord.objects.bulk_create(rows, batch_size=5_000)
    print(f"{len(rows)} 帮扶记录 inserted in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return len(rows)


def sample_paths(n: int) -> dict[str, list[str]]:
    """Random active tokens per level, as page paths."""
    from django.db.models import Q

    from jingzhun.public.models import PublicToken

    in_county = Q(household__village__code__startswith=COUNTY) | Q(region__code__startswith=COUNTY)
    active = PublicToken.objects.filter(in_county, revoked_at__isnull=True)

    def pick(level: str, limit: int) -> list[str]:
        tokens = active.filter(level=level).order_by("?").values_list("token", flat=True)[:limit]
        return [f"/q/{t}/" for t in tokens]

    return {"household": pick("household", n), "village": pick("village", 400), "township": pick("township", 50)}


SETTINGS_SHIM = """\
from jingzhun.site.settings import *  # noqa: F403

PUBLIC_RATE_LIMIT = 10**9  # one client address drives the whole load; the limiter still counts every request
SECRET_KEY = "jingzhun-bench-only-key-a-throwaway-server"  # the served site refuses the development key
DATABASES["default"]["CONN_MAX_AGE"] = {conn_max_age}  # noqa: F405
LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {{"django.server": {{"level": "ERROR"}}, "django.request": {{"level": "ERROR"}}}},
}}
"""


def write_settings_shim(home: Path, conn_max_age: int) -> None:
    """bench_settings.py in ``home``: the project settings plus the bench's overrides."""
    (home / "bench_settings.py").write_text(SETTINGS_SHIM.format(conn_max_age=conn_max_age), encoding="utf-8")


def serve(port: int) -> None:
    """Child process: the site on 127.0.0.1:port with Django's threaded WSGI server."""
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    class Server(WSGIServer):
        request_queue_size = 128  # the stock 10 drops SYNs in bursts; a real server would use its own

    run(HOST, port, get_wsgi_application(), ipv6=False, threading=True, server_cls=Server)


def start_server(kind: str, port: int, home: Path, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _db_url(),
        "JINGZHUN_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(home), os.environ.get("PYTHONPATH", "")])),
    }
    if kind == "django":
        return subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env, start_new_session=True)
    # The configuration of `jingzhun serve` (cli/site.py): N workers × M threads, no access log.
    command = [sys.executable, "-m", "gunicorn", "jingzhun.site.wsgi:application", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"]
    command += ["--backlog", "512", "--log-level", "warning", "--graceful-timeout", "5"]
    return subprocess.Popen(command, env=env, cwd=HERE.parent, start_new_session=True)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers: the process group this script started it in, nothing else."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


async def _get(path: str, port: int) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    while await reader.read(65536):
        pass
    writer.close()
    return status


async def drive(paths: list[str], port: int, rate: float, seconds: float) -> dict[str, object]:
    """Open loop: request i is due at start + i/rate; latency runs from the due time."""
    total = int(rate * seconds)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    slow: dict[int, int] = {}
    in_flight = asyncio.Semaphore(512)
    start = time.perf_counter() + 0.2

    async def one(i: int) -> None:
        due = start + i / rate
        async with in_flight:
            try:
                status = await asyncio.wait_for(_get(paths[i % len(paths)], port), timeout=10)
            except Exception as e:  # counted and reported, never retried
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
                return
        latency = time.perf_counter() - due
        latencies.append(latency)
        if latency > 0.05:  # where in the run the slow ones fall (warm-up, a stall, or spread out)
            slow[int(i / rate)] = slow.get(int(i / rate), 0) + 1
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    tasks = []
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    latencies.sort()

    return {
        "requests": total,
        "completed": len(latencies),
        "statuses": statuses,
        "errors": errors,
        "elapsed_s": round(elapsed, 2),
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "over_50ms_by_second": dict(sorted(slow.items())),
        "latency_ms": {
            "p50": _pct(latencies, 50),
            "p90": _pct(latencies, 90),
            "p99": _pct(latencies, 99),
            "max": _pct(latencies, 100),
        },
    }


async def capacity(paths: list[str], port: int, concurrency: int, seconds: float) -> dict[str, object]:
    """Closed loop: ``concurrency`` clients each send the next request when the last one is answered."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client() -> None:
        while time.perf_counter() < deadline:
            path = paths[next(counter) % len(paths)]
            sent = time.perf_counter()
            try:
                await asyncio.wait_for(_get(path, port), timeout=10)
            except Exception:  # counted as missing from the throughput
                continue
            latencies.append(time.perf_counter() - sent)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "concurrency": concurrency,
        "completed": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "latency_ms": {"p50": _pct(latencies, 50), "p99": _pct(latencies, 99)},
    }


WRK_CONNECTIONS = 4
WRK_THREADS = 2


def ensure_wrk() -> str:
    """wrk from Debian's packages (installed when missing, as ``make test`` installs chromium)."""
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    return found


def run_wrk(paths: list[str], port: int, rate: float, seconds: float, home: Path) -> dict[str, object]:
    """The same paths through wrk (C, keep-alive connections): a second opinion on the asyncio client.

    wrk has no fixed rate, so each of ``WRK_CONNECTIONS`` connections waits ``connections × 1000 / rate``
    ms less 5 (about a page's time) between requests, a little over the rate; the achieved rate is
    reported. wrk times each request from send to answer (closed loop), so a stall shows as one slow
    request, not a queue."""
    listing = home / "wrk-paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    pause_ms = max(0, round(WRK_CONNECTIONS * 1000 / rate) - 5)
    command = [
        ensure_wrk(), "-t", str(WRK_THREADS), "-c", str(WRK_CONNECTIONS), "-d", f"{int(seconds)}s", "--latency",
        "-s", str(HERE / "wrk_public.lua"), f"http://{HOST}:{port}",
        "--", str(listing), str(WRK_THREADS), str(pause_ms),
    ]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    elapsed = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "completed": figures["requests"] - figures["socket_errors"] - figures["timeouts"],
        "statuses": {"non-2xx": figures["non_2xx"]},
        "errors": {"socket": figures["socket_errors"], "timeout": figures["timeouts"]},
        "elapsed_s": round(elapsed, 2),
        "achieved_rps": round(figures["requests"] / elapsed, 1),
        "latency_ms": {k: round(figures[f"{k}_us"] / 1000, 1) for k in ("p50", "p90", "p99", "max")},
        "wrk": {"connections": WRK_CONNECTIONS, "threads": WRK_THREADS, "pause_ms": pause_ms},
    }


def _pct(latencies: list[float], p: float) -> float:
    """Percentile of sorted seconds, in milliseconds."""
    if not latencies:
        return 0.0
    return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 1)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU time of the live processes in a process group (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "pid (comm)": state ppid pgrp ... utime(11) stime(12)
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _environ(path: str) -> dict[str, object]:
    import io

    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": HOST,
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _backend_cpu_seconds(pid: int) -> float:
    """CPU seconds of one PostgreSQL backend process (it runs on this machine; Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError as e:
        print(f"cannot read the PostgreSQL backend's CPU time: {e}", file=sys.stderr)
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(paths: list[str], profile: int) -> dict[str, object]:
    """Time ``len(paths)`` requests through Django's WSGI handler in this process (no HTTP, no threads).

    Reports wall and CPU milliseconds per request for this process and for its PostgreSQL backend
    (read from /proc), so the figure holds on a busy machine where wall-clock latency does not.
    With ``profile`` > 0, prints the top functions of a cProfile run over the same requests.
    """
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()
    statuses: dict[str, int] = {}

    def run(batch: list[str]) -> None:
        holder: list[str] = []

        def start_response(status: str, headers: object, exc_info: object = None) -> None:
            holder.append(status[:3])

        for path in batch:
            body = app(_environ(path), start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()
            statuses[holder[-1]] = statuses.get(holder[-1], 0) + 1

    from django.core.cache import caches

    run(paths[:50])  # warm-up: imports, template loading, the database connection
    statuses.clear()
    caches["public"].clear()  # the first pass renders every page it has not seen yet
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    first = _timed(run, paths, backend)
    second = _timed(run, paths, backend)  # the same pages again: what a warm page cache gives
    if profile:
        import cProfile
        import pstats

        caches["public"].clear()  # profile the cold path: what most requests of the load run take
        profiler = cProfile.Profile()
        profiler.enable()
        run(paths)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(profile)
    return {
        "requests_per_pass": len(paths),
        "distinct_pages": len(set(paths)),
        "statuses": statuses,
        "first_pass_cold_page_cache": first,
        "second_pass_warm_page_cache": second,
        "rate_limit_count_us": _rate_limit_cost(),
    }


def _rate_limit_cost(n: int = 5_000) -> dict[str, float]:
    """Microseconds per rate-limit count: the shared SQLite file, and Django's local cache for comparison."""
    from django.core.cache import cache

    from jingzhun.public.ratelimit import SharedCounter

    counter = SharedCounter(Path(tempfile.mkdtemp(prefix="bench_rl_")) / "rl.sqlite3")
    counter.hit("warm-up", 0)
    t0 = time.perf_counter()
    for i in range(n):
        counter.hit(f"10.0.{i % 50}.1", 1)
    shared = (time.perf_counter() - t0) / n * 1e6
    t0 = time.perf_counter()
    for i in range(n):
        key = f"rl:10.0.{i % 50}.1:1"
        cache.add(key, 0, 120)
        cache.incr(key)
    local = (time.perf_counter() - t0) / n * 1e6
    return {"shared_sqlite_file": round(shared, 1), "django_locmem_per_process": round(local, 1)}


def _timed(run: object, paths: list[str], backend: int) -> dict[str, float]:
    db0, cpu0, wall0 = _backend_cpu_seconds(backend), time.process_time(), time.perf_counter()
    run(paths)  # type: ignore[operator]
    db1, cpu1, wall1 = _backend_cpu_seconds(backend), time.process_time(), time.perf_counter()
    n = max(1, len(paths))
    return {
        "wall_ms_per_request": round((wall1 - wall0) * 1000 / n, 3),
        "django_cpu_ms_per_request": round((cpu1 - cpu0) * 1000 / n, 3),
        "postgres_cpu_ms_per_request": round((db1 - db0) * 1000 / n, 3),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if asyncio.run(_get("/q/ready/", port)) == 404:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument(
        "--cold", action="store_true", help="no closed-loop phase; each household page requested once (no cache hits)"
    )
    parser.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
    parser.add_argument("--server", choices=["gunicorn", "django"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (jingzhun serve: 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (jingzhun serve: 4)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients in the closed-loop capacity phase")
    parser.add_argument("--out", help="results file (default bench/results/public.json or public-gunicorn.json)")
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="N",
        help="no server and no load: time N requests through the WSGI handler in this process (CPU per request)",
    )
    parser.add_argument(
        "--wrk", action="store_true", help="drive the measured run with wrk (apt-get installed when missing)"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="with --in-process: cProfile top K")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench_public_"))
    if args.serve:
        from jingzhun.cli.djsetup import setup

        setup()
        serve(args.serve)
        return

    prepare_database(args.households, args.fresh)
    _django(_db_url(), home)
    t0 = time.perf_counter()
    data = populate(args.households)
    data["prepare_seconds"] = round(time.perf_counter() - t0, 1)
    total = int(args.rate * args.seconds)
    sample = sample_paths(total + WARM_UP_HOUSEHOLDS if args.cold else 5_000)
    rng = random.Random(11)
    if args.cold:  # every household page once: each is rendered, none comes from the page cache
        rng.shuffle(sample["household"])
        warm_households = sample["household"][:WARM_UP_HOUSEHOLDS]  # warm-up only, never measured
        fresh = iter(sample["household"][WARM_UP_HOUSEHOLDS:])
    paths = [
        (next(fresh) if args.cold else rng.choice(sample["household"]))
        if r < 0.90
        else rng.choice(sample["village"] if r < 0.98 else sample["township"])
        for r in (rng.random() for _ in range(total))
    ]
    if args.in_process:
        from django.conf import settings

        settings.PUBLIC_RATE_LIMIT = 10**9  # as in the shim; settings are already loaded in this process
        measured = in_process(paths[: args.in_process], args.profile)
        print(json.dumps(measured, ensure_ascii=False, indent=2))
        out = Path(args.out) if args.out else HERE / "results" / "public-in-process.json"
        out.parent.mkdir(exist_ok=True)
        report = {
            "benchmark": "public pages (一码清): CPU per request through the WSGI handler, in process",
            "mix": {"household": 0.90, "village": 0.08, "township": 0.02},
            "database": {"engine": "postgresql", "name": PG_DB, **data},
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg": os.getloadavg()},
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **measured,
        }
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
        return
    from django.db import connections

    connections.close_all()
    port = _free_port()
    # Django's server runs a thread per request, so a kept connection would die with its thread.
    conn_max_age = 60 if args.server == "gunicorn" else 0
    write_settings_shim(home, conn_max_age)
    proc = start_server(args.server, port, home, args.workers, args.threads)
    try:
        _wait_ready(port, proc)
        # Warm-up (imports, templates, each thread's connection and prepared statements, the database's
        # caches) as on a server that has been up a while: with --cold on region pages and on household
        # pages that the measured run never asks for.
        if args.cold:
            warm_up = sample["village"][:80] + sample["township"][:20] + warm_households
            asyncio.run(drive(warm_up, port, rate=100, seconds=len(warm_up) / 100))  # not reported
            # Then all of every worker's threads at once (each opens its database connection and
            # prepares its statements on first use, as they would have long before on a live server).
            asyncio.run(capacity(warm_households, port, concurrency=args.concurrency, seconds=3))
        else:
            asyncio.run(drive(paths[:100], port, rate=50, seconds=2))  # not reported
        load_before = os.getloadavg()
        closed: dict[str, object] = {"skipped": "--cold: the open-loop run renders every household page"}
        if not args.cold:
            cpu_before = group_cpu_seconds(proc.pid)
            closed = asyncio.run(capacity(paths, port, concurrency=args.concurrency, seconds=15))
            cpu = group_cpu_seconds(proc.pid) - cpu_before
            closed["server_cpu_ms_per_request"] = round(cpu * 1000 / max(1, int(closed["completed"])), 1)
        cpu_before = group_cpu_seconds(proc.pid)
        if args.wrk:
            result = run_wrk(paths, port, args.rate, args.seconds, home)
        else:
            result = asyncio.run(drive(paths, port, rate=args.rate, seconds=args.seconds))
        result["server_cpu_ms_per_request"] = round(
            (group_cpu_seconds(proc.pid) - cpu_before) * 1000 / max(1, int(result["completed"])), 2
        )
        load_after = os.getloadavg()
    finally:
        stop_server(proc)
    report = {
        "benchmark": "public pages (一码清) open-loop load",
        "target": {"rate_rps": args.rate, "seconds": args.seconds},
        "mix": {"household": 0.90, "village": 0.08, "township": 0.02},
        "household_pages": "each once (--cold)" if args.cold else "drawn from 5 000 (repeats hit the page cache)",
        "server": SERVERS[args.server].format(workers=args.workers, threads=args.threads),
        "conn_max_age": conn_max_age,
        "database": {"engine": "postgresql", "name": PG_DB, **data},
        "client": (
            f"wrk {WRK_CONNECTIONS} keep-alive connections, {WRK_THREADS} threads, paced (closed loop)"
            if args.wrk
            else "asyncio, one TCP connection per request (Connection: close), latency from due time"
        ),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_1m_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        },
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **result,
        "capacity_closed_loop_15s": closed,
    }
    lat = result["latency_ms"]
    print(
        f"{result['completed']}/{result['requests']} requests in {result['elapsed_s']} s "
        f"({result['achieved_rps']} req/s) statuses={result['statuses']} errors={result['errors']}\n"
        f"latency p50 {lat['p50']} ms  p90 {lat['p90']} ms  p99 {lat['p99']} ms  max {lat['max']} ms; "
        f"server CPU {result['server_cpu_ms_per_request']} ms/request (PostgreSQL not included); "
        f"load average {report['machine']['loadavg_1m_before_after']}"
    )
    if not args.cold:
        print(
            f"capacity ({closed['concurrency']} clients, closed loop): {closed['throughput_rps']} req/s, "
            f"p50 {closed['latency_ms']['p50']} ms, p99 {closed['latency_ms']['p99']} ms, "  # type: ignore[index]
            f"server CPU {closed['server_cpu_ms_per_request']} ms/request"
        )
    name = "public" if args.server == "django" else f"public-{args.server}"
    default_out = HERE / "results" / f"{name}{'-wrk' if args.wrk else ''}{'-cold' if args.cold else ''}.json"
    out = Path(args.out) if args.out else default_out
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    if args.drop:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
