"""A missing file passed to an import command reads in Chinese, with the command's documented exit code
(walk: "[文件] 无法打开文件：No such file or directory", the OS's English)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [  # the arguments before the file, the arguments after it, the documented exit code
    (["registry", "import"], [], 1),
    (["crosscheck", "import"], ["--source", "death", "--as-of", "2020-06-30"], 2),
    (["pv", "import"], [], 1),
]


@pytest.mark.parametrize(("before", "after", "code"), COMMANDS)
def test_a_missing_file_is_named_in_chinese(tmp_path: Path, before: list[str], after: list[str], code: int) -> None:
    missing = tmp_path / "没有这个文件.csv"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("JINGZHUN_")},
        "JINGZHUN_HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "-m", "jingzhun", "migrate"], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    cmd = [sys.executable, "-c", "from jingzhun.cli import main; main()", *before, str(missing), *after]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    said = done.stdout + done.stderr
    assert f"找不到文件：{missing}" in said, said
    assert "No such file" not in said
    assert done.returncode == code, said


def test_the_message_names_directories_too(tmp_path: Path) -> None:
    from jingzhun.registry.importer import open_import

    _, _, errors = open_import(tmp_path, ())
    assert [e.message for e in errors] == [f"不是文件，是目录：{tmp_path}"]
