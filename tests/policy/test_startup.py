"""`jingzhun entitle` on a one-household document starts without the modules it does not need.

Typer converts option values through Pydantic unless ``jingzhun.cli`` gives plain ``str``/``bool``/``Path``
options their trivial converter; Rich and Django are only for other commands. Measured in a fresh
interpreter, as a user starts it; the options must still be read exactly as before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from jingzhun.cli import app
from tests.policy.test_cli import document, write

PROBE = """
import json, sys
from jingzhun.cli import main
sys.argv[:] = ["jingzhun", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in ("pydantic", "rich", "django", "pyarrow", "pandas") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _probe(args: list[str]) -> tuple[str, dict[str, object]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, report


def test_entitle_on_one_household_imports_no_pydantic_rich_or_django(tmp_path: Path) -> None:
    source = write(tmp_path, document())
    stdout, report = _probe(["entitle", str(source), "--month", "2020-06"])
    assert report == {"code": 0, "heavy": []}
    assert json.loads(stdout)["households"][0]["id"] == "H1"


def test_batch_options_still_become_paths_without_pydantic(tmp_path: Path) -> None:
    missing = tmp_path / "nope.parquet"
    out = str(tmp_path / "o.parquet")
    _, report = _probe(
        ["entitle", "--month", "2020-06", "--households", str(missing), "--persons", str(missing), "--out", out]
    )
    assert report["code"] == 2  # the unreadable Parquet file is reported by the command, not by Typer
    assert "pydantic" not in report["heavy"]


def test_plain_conversion_keeps_typer_messages_for_bad_values(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["entitle", str(write(tmp_path, document())), "--month"])
    assert result.exit_code == 2
    assert "--month" in result.output
    result = CliRunner().invoke(app, ["entitle", str(write(tmp_path, document())), "--month", "2020-06"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["month"] == "2020-06"


def test_entitle_gives_the_cyclic_collector_back_even_on_refusal(tmp_path: Path) -> None:
    """The command switches the collector off while it runs (its objects hold no cycles worth the passes);
    an in-process caller — the staff site, a test — gets it back, also after exit 2."""
    import gc

    assert gc.isenabled()
    ok = CliRunner().invoke(app, ["entitle", str(write(tmp_path, document())), "--month", "2020-06"])
    assert ok.exit_code == 0 and gc.isenabled()
    refused = CliRunner().invoke(app, ["entitle", str(write(tmp_path, document(area="town"))), "--month", "2020-06"])
    assert refused.exit_code == 2 and gc.isenabled()
