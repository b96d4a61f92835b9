"""The README's two commands, every ``jingzhun …`` line in its code blocks, and DESIGN.md's command contracts
exist as documented, with the options shown (datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from jingzhun.cli import app

REPO = Path(__file__).resolve().parents[1]


def _command(path: list[str]) -> object:
    cmd: object = typer.main.get_command(app)
    for name in path:
        commands = getattr(cmd, "commands", None)
        assert commands is not None, f"{' '.join(path)}: {name} has no sub-commands"
        sub = commands.get(name)
        assert sub is not None, f"jingzhun {' '.join(path)}: no command {name!r}"
        cmd = sub
    return cmd


def _contracts(shared_dir: Path) -> list[str]:
    design = (shared_dir / "DESIGN.md").read_text()
    block = design.split("## Command contracts", 1)[1].split("```", 2)[1]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("jingzhun ")]


def test_readme_opens_with_the_two_commands() -> None:
    first_block = (REPO / "README.md").read_text().split("```", 2)[1]
    assert [line.strip() for line in first_block.strip().splitlines()] == ["make demo", "make test"]


def _assert_contract(line: str) -> None:
    words = line.split()[1:]
    path = [w for w in words if re.fullmatch(r"[a-z][a-z-]*", w)]
    # the first bare words are the command path; later bare words would be values (none here)
    cmd = None
    for n in range(len(path), 0, -1):
        try:
            cmd = _command(path[:n])
            break
        except AssertionError:
            continue
    assert cmd is not None and not hasattr(cmd, "commands"), f"missing: {line}"
    params = getattr(cmd, "params", [])
    options = {opt for p in params for opt in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}
    for opt in re.findall(r"--[a-z][a-z-]*", line):
        assert opt in options, f"`{line}`: option {opt} missing"


def test_every_design_command_contract_exists_with_its_options(shared_dir: Path) -> None:
    contracts = _contracts(shared_dir)
    assert len(contracts) >= 12
    for line in contracts:
        _assert_contract(line)


# The pure checks built so far; medical settle and crosscheck join as they land.
PURE_CHECKS = ("exit", "monitor")


def test_the_pure_check_contracts_exist_with_their_options(shared_dir: Path) -> None:
    design = (shared_dir / "DESIGN.md").read_text()
    block = design.split("### Monitoring, medical and cross-check contracts", 1)[1].split("```", 2)[1]
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("jingzhun ")]
    checked = [line for line in lines if line.split()[1] in PURE_CHECKS]
    assert len(checked) == len(PURE_CHECKS)
    for line in checked:
        _assert_contract(line)


@pytest.mark.parametrize("target", ["demo", "test"])
def test_makefile_has_the_readme_targets(target: str) -> None:
    assert re.search(rf"^{target}:", (REPO / "Makefile").read_text(), re.M)


def test_medical_settle_contract_exists_with_its_options(shared_dir: Path) -> None:
    design = (shared_dir / "DESIGN.md").read_text()
    block = design.split("### Monitoring, medical and cross-check contracts", 1)[1].split("```", 2)[1]
    [line] = [row.split("#", 1)[0].strip() for row in block.splitlines() if row.startswith("jingzhun medical ")]
    cmd = _command(["medical", "settle"])
    options = {opt for p in getattr(cmd, "params", []) for opt in getattr(p, "opts", [])}
    assert set(re.findall(r"--[a-z][a-z-]*", line)) == {"--format", "--cap-period"}
    assert {"--format", "--cap-period"} <= options


def test_crosscheck_contracts_exist_with_their_options(shared_dir: Path) -> None:
    design = (shared_dir / "DESIGN.md").read_text()
    block = design.split("### Monitoring, medical and cross-check contracts", 1)[1].split("```", 4)[3]
    lines = [row.split("#", 1)[0].strip() for row in block.splitlines() if row.startswith("jingzhun crosscheck ")]
    assert [line.split()[2] for line in lines] == ["import", "run"]
    for line in lines:
        _assert_contract(line)


def _command_lines(markdown: str) -> list[str]:
    """Every ``jingzhun …`` line of every fenced code block (a leading ``$ `` or ``uv run `` dropped, the
    trailing ``# comment`` cut), alternatives (`a | b`) spelled out in full."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.S | re.M)
    lines = []
    for raw in (row for block in blocks for row in block.splitlines()):
        line = re.sub(r"^(\$ )?(uv run )?", "", raw.split(" #", 1)[0].strip())
        if not line.startswith("jingzhun "):
            continue
        first, *others = line.split(" | ")
        lines.append(first)
        group = [w for w in first.split()[1:] if re.fullmatch(r"[a-z][a-z-]*", w)][:-1]
        for alternative in others:
            word = alternative.split()[0]
            stem = group[: group.index(word)] if word in group else group  # `cpi set … | cpi list`
            lines.append(" ".join(["jingzhun", *stem, alternative]))
    return lines


def _readme_commands() -> list[str]:
    return _command_lines((REPO / "README.md").read_text())


def test_the_readme_lines_are_read_from_every_code_block() -> None:
    markdown = "text\n```\njingzhun a b --x 1 | c  # note\n```\nmore\n```sh\n$ uv run jingzhun d\n```\n"
    assert _command_lines(markdown) == ["jingzhun a b --x 1", "jingzhun a c", "jingzhun d"]


def test_every_command_in_the_readme_exists_with_the_options_shown() -> None:
    commands = _readme_commands()
    assert len(commands) >= 30  # every line and every `|` alternative of the list
    for line in commands:
        _assert_contract(line)


def test_a_command_missing_from_the_cli_is_caught() -> None:
    with pytest.raises(AssertionError):
        _assert_contract("jingzhun ledger no-such-command 2020-06")
    with pytest.raises(AssertionError):
        _assert_contract("jingzhun ledger totals 2020-06 --no-such-option")
    with pytest.raises(AssertionError):
        _assert_contract("jingzhun ledger")  # a group is not a command


def test_a_readme_line_naming_a_missing_option_is_caught() -> None:
    [line] = _command_lines("```\njingzhun registry import FILE [--dry-run] [--no-such-flag]\n```\n")
    with pytest.raises(AssertionError, match="--no-such-flag"):
        _assert_contract(line)
