"""The validated parameter tree is kept as a pickle keyed by the files' content (``params._cached_load``):
a second start reads it, any edit of a file gives a new key, a broken cache file is only a miss, and an
empty ``JINGZHUN_CACHE_DIR`` switches it off."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from jingzhun.policy import params
from jingzhun.policy.params import PARAMETERS_DIR, load_parameters


@pytest.fixture
def tree_dir(tmp_path: Path) -> Path:
    target = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_DIR, target)
    return target


def standard(tree: params.ParameterTree) -> object:
    return tree.resolve("dibao.standard.rural", "141102", dt.date(2020, 6, 1)).value


def test_second_load_reads_the_cache_and_an_edit_is_seen(
    tree_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGZHUN_CACHE_DIR", str(tmp_path / "cache"))
    first = params._cached_load(tree_dir)
    assert standard(first) == standard(load_parameters(tree_dir))
    written = list((tmp_path / "cache").glob("parameters-*.pickle"))
    assert len(written) == 1

    calls: list[Path] = []
    real_load = params._load
    monkeypatch.setattr(params, "_load", lambda d: calls.append(d) or real_load(d))
    again = params._cached_load(tree_dir)
    assert calls == [] and standard(again) == standard(first)

    target = sorted(tree_dir.rglob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    params._cached_load(tree_dir)
    assert calls == [tree_dir]
    assert len(list((tmp_path / "cache").glob("parameters-*.pickle"))) == 2


def test_a_broken_cache_file_is_a_miss(tree_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGZHUN_CACHE_DIR", str(tmp_path / "cache"))
    params._cached_load(tree_dir)
    (cached,) = (tmp_path / "cache").glob("parameters-*.pickle")
    cached.write_bytes(b"not a pickle")
    tree = params._cached_load(tree_dir)
    assert standard(tree) == standard(load_parameters(tree_dir))
    assert cached.read_bytes() != b"not a pickle"


def test_empty_cache_dir_switches_it_off(tree_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGZHUN_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    params._cached_load(tree_dir)
    assert not (tmp_path / "xdg").exists()


def test_invalid_files_are_refused_and_not_cached(
    tree_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGZHUN_CACHE_DIR", str(tmp_path / "cache"))
    (tree_dir / "broken.yaml").write_text("description: [\n", encoding="utf-8")
    with pytest.raises(params.ParameterFileError):
        params._cached_load(tree_dir)
    assert not list((tmp_path / "cache").glob("parameters-*.pickle"))
