"""Uploads stop at the size limit while they stream, leave no file behind, and failed jobs show so at once.

The limit is lowered to 1 MB here (``limits.MAX_FILE_BYTES``); the production value is 200 MB.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from jingzhun.core import jobs
from jingzhun.core.models import BackgroundJob, JobKind, JobStatus
from jingzhun.registry import limits, uploads
from jingzhun.registry.models import Household
from tests.registry import hostile

pytestmark = pytest.mark.django_db
MB = limits.MB


@pytest.fixture
def small_limit(monkeypatch: Any, settings: Any, tmp_path: Path) -> Path:
    """A 1 MB upload limit and an empty temporary upload folder (returned)."""
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", MB)
    temp = tmp_path / "upload-tmp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    return temp


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(
    login: Any, personas: Any, small_limit: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes("户编号,姓名\n".encode() + b"H1,x\n" * (MB // 4))
    with big.open("rb") as f:
        page = login("victor").post("/households/import/", {"file": f}).content.decode()
    assert "big.csv：文件大小超过上限 1 MB（本文件约 1 MB 以上），请按乡镇拆分后分批导入。" in page
    assert not BackgroundJob.objects.exists()
    assert files_under(small_limit, tmp_path / "uploads") == []


def test_the_handler_never_writes_past_the_limit(monkeypatch: Any, small_limit: Path) -> None:
    written: list[int] = []
    handler = uploads.LimitedUploadHandler()
    handler.handle_raw_input(None, {}, 5 * MB, b"-")
    handler.new_file("file", "big.csv", "text/csv", None)
    monkeypatch.setattr(
        uploads.TemporaryFileUploadHandler, "receive_data_chunk", lambda self, raw, start: written.append(len(raw))
    )
    with pytest.raises(uploads.StopUpload) as stopped:
        for start in range(0, 5 * MB, 64 * 1024):
            handler.receive_data_chunk(b"x" * 64 * 1024, start)
    assert sum(written) == MB and stopped.value.connection_reset  # announced 5 MB: not read on
    handler.file.close()
    assert files_under(small_limit) == []


@pytest.mark.django_db(transaction=True)
def test_a_streamed_oversized_upload_is_cut_off_on_the_live_server(
    live_server: Any, client: Any, personas: Any, small_limit: Path, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    client.force_login(personas["victor"])
    url = urlparse(live_server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    session = f"sessionid={client.cookies['sessionid'].value}"
    conn.request("GET", "/households/import/", headers={"Cookie": session})
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf_cookie and token
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token[1]}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = MB + MB // 2
    conn.putrequest("POST", "/households/import/")
    conn.putheader("Cookie", f"{session}; csrftoken={csrf_cookie[1]}")
    conn.putheader("Referer", live_server.url)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.endheaders()
    conn.send(head)
    for _ in range(size // (64 * 1024)):
        conn.send(b"H1,x\n" * (64 * 1024 // 5) + b"\n" * (64 * 1024 % 5))
    conn.send(b"\n" * (size % (64 * 1024)) + tail)
    answer = conn.getresponse()
    page = answer.read().decode()
    assert answer.status == 200
    assert "big.csv：文件大小超过上限 1 MB" in page
    assert not BackgroundJob.objects.exists()
    assert files_under(small_limit, tmp_path / "uploads") == []


def test_a_file_over_a_limit_fails_its_job_with_the_reason_and_is_deleted(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    with hostile.far_cell(tmp_path / "far.xlsx").open("rb") as f:
        page = login("victor").post("/households/import/", {"file": f}, follow=True).content.decode()
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "数据行数超过上限 500,000 行（第 1,048,576 行仍有单元格）" in job.result["error"]
    assert "数据行数超过上限 500,000 行" in page
    assert not Path(job.params["path"]).exists() and not Household.objects.exists()


def running_job(owner: Any, tmp_path: Path, worker: dict[str, Any]) -> BackgroundJob:
    upload = tmp_path / "uploads" / "left.xlsx"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"PK")
    return BackgroundJob.objects.create(
        kind=JobKind.IMPORT, owner=owner, status=JobStatus.RUNNING, result={"worker": worker},
        params={"path": str(upload), "name": "left.xlsx"},
    )  # fmt: skip


def test_a_job_whose_worker_process_is_gone_shows_failed_at_once(login: Any, personas: Any, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = {**jobs.worker(), "pid": int(dead.stdout), "since": "1"}
    job = running_job(personas["victor"], tmp_path, gone)
    status = login("victor").get(f"/households/import/{job.pk}/status/").json()
    assert status["status"] == "failed" and status["status_label"] == "失败"
    job.refresh_from_db()
    assert job.result["error"].startswith("处理该任务的进程已中断")
    assert not Path(job.params["path"]).exists()


def test_a_job_whose_worker_is_alive_keeps_running(login: Any, personas: Any, tmp_path: Path) -> None:
    job = running_job(personas["victor"], tmp_path, jobs.worker())
    status = login("victor").get(f"/households/import/{job.pk}/status/").json()
    assert status["status"] == "running"
    assert Path(job.params["path"]).exists()


def test_a_job_that_cannot_be_queued_fails_at_once_and_its_upload_is_deleted(
    login: Any, regions: Any, personas: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from jingzhun.registry.tasks import import_registry_file

    def refuse(*args: Any) -> None:
        raise RuntimeError("queue down")

    monkeypatch.setattr(type(import_registry_file), "enqueue", refuse)
    upload = tmp_path / "ok.csv"
    upload.write_text("户编号\nH1\n", encoding="utf-8")
    with upload.open("rb") as f:
        page = login("victor").post("/households/import/", {"file": f}, follow=True).content.decode()
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and "后台任务无法启动（RuntimeError）" in page
    assert files_under(tmp_path / "uploads") == []
