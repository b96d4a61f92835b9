"""A month run's inputs, frozen: what was computed from, so any past line can be recomputed and explained.

A snapshot is one zip (stored in :class:`~jingzhun.ledger.models.RunSnapshot`) holding

* ``households.parquet``, ``persons.parquet`` — the batch frames (DESIGN.md schema), sorted by id;
* ``enrolments.parquet`` (the name the runs already archived carry) — the active enrollments
  (household_pk, household_no, family);
* ``parameters.json`` — the whole parameter tree as used (every dated value of every level, with its
  reference), so a reform or a later edit of a YAML file never changes what an old line meant;
* ``extra.json`` — month, scope, 临时救助 events (and the applications they are), late 临时救助 of earlier
  months with their event month's household document (补发), 孝亲敬老 support records of a Double
  Ninth month, CPI entries and the 大病关怀 history.

The zip is written byte-for-byte deterministically (sorted frames, fixed timestamps), so its SHA-256 is
the run's ``inputs_sha256``: equal inputs give an equal hash, and a re-run shares the stored snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import polars as pl

from jingzhun.policy.params import Entry, Parameter, ParameterTree, Value

ENROLLMENT_SCHEMA = {"household_pk": pl.Int64, "household_no": pl.String, "family": pl.String}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class RunInputs:
    """Everything one month run computes from."""

    month: dt.date
    region_prefix: str
    households: pl.DataFrame
    persons: pl.DataFrame
    enrollments: pl.DataFrame
    params: ParameterTree
    events: list[dict[str, Any]] = field(default_factory=list)
    cpi: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[str]] = field(default_factory=dict)
    applications: list[int] = field(default_factory=list)  # the 临时救助 applications behind ``events``
    # 补发: approved after their month ran — {application_id, household, month, kind, amount_due, date,
    # document (the household's POLICY.md §1 document of the event's month, or None)}
    late_events: list[dict[str, Any]] = field(default_factory=list)
    # 孝亲敬老: the engine's ``support_payments`` of a Double Ninth month (``assistance.filial``), else empty
    support_payments: list[dict[str, Any]] = field(default_factory=list)
    # 孝亲敬老 补发 (``inputs.late_filial``): {household, year, month (the Double Ninth month), document,
    # support_payments} of a reward approved after its October run, paid by this run
    late_filial: list[dict[str, Any]] = field(default_factory=list)

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"


def pack(inputs: RunInputs) -> tuple[str, bytes]:
    """``(sha256, zip bytes)`` of the inputs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, frame, key in (
            ("households", inputs.households, ["id"]),
            ("persons", inputs.persons, ["household_id", "id"]),
            ("enrolments", inputs.enrollments, ["household_no", "family"]),
        ):
            _write(archive, f"{name}.parquet", _parquet(frame.sort(key)), zipfile.ZIP_STORED)
        _write(archive, "parameters.json", _json(tree_to_json(inputs.params)), zipfile.ZIP_DEFLATED)
        extra = {
            "month": inputs.month_key,
            "region_prefix": inputs.region_prefix,
            "events": inputs.events,
            "cpi": inputs.cpi,
            "history": {k: sorted(v) for k, v in sorted(inputs.history.items())},
        }
        if inputs.applications or inputs.late_events:  # absent otherwise: older snapshots keep their hash
            extra["applications"] = sorted(inputs.applications)
            extra["late_events"] = inputs.late_events
        if inputs.support_payments:  # likewise absent in the other months
            extra["support_payments"] = inputs.support_payments
        if inputs.late_filial:  # likewise
            extra["late_filial"] = inputs.late_filial
        _write(archive, "extra.json", _json(extra), zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    return hashlib.sha256(data).hexdigest(), data


def unpack(data: bytes) -> RunInputs:
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        frames = {name: pl.read_parquet(archive.read(f"{name}.parquet")) for name in ("households", "persons")}
        enrollments = pl.read_parquet(archive.read("enrolments.parquet"))
        params = tree_from_json(json.loads(archive.read("parameters.json")))
        extra = json.loads(archive.read("extra.json"))
    year, month = extra["month"].split("-")
    return RunInputs(
        month=dt.date(int(year), int(month), 1),
        region_prefix=extra["region_prefix"],
        households=frames["households"],
        persons=frames["persons"],
        enrollments=enrollments,
        params=params,
        events=extra["events"],
        cpi=extra["cpi"],
        history=extra["history"],
        applications=extra.get("applications", []),
        late_events=extra.get("late_events", []),
        support_payments=extra.get("support_payments", []),
        late_filial=extra.get("late_filial", []),
    )


def _parquet(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_parquet(out, compression="zstd", statistics=False)
    return out.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _write(archive: zipfile.ZipFile, name: str, data: bytes, compression: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = compression
    archive.writestr(info, data)


def _value_to_json(value: Value | None) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Fraction):
        return {"fraction": str(value)}
    return {"map": {k: _value_to_json(v) for k, v in value.items()}}


def _value_from_json(raw: Any) -> Value | None:
    if raw is None or isinstance(raw, bool | int):
        return raw  # type: ignore[no-any-return]
    if "fraction" in raw:
        return Fraction(raw["fraction"])
    return {k: _value_from_json(v) for k, v in raw["map"].items()}  # type: ignore[misc]


def tree_to_json(tree: ParameterTree) -> dict[str, Any]:
    """Every parameter with every dated value of every level, exactly as the engine would resolve it."""
    out: dict[str, Any] = {}
    for name, p in sorted(tree.parameters.items()):
        out[name] = {
            "file": p.file,
            "description": [p.description_zh, p.description_en],
            "unit": p.unit,
            "reference": p.reference,
            "breakdown": list(p.breakdown),
            "series": {
                code: [
                    [e.start.isoformat(), _value_to_json(e.value), e.default, e.date_assumed, e.reference]
                    for e in entries
                ]
                for code, entries in sorted(p.series.items())
            },
        }
    return {"parameters": out, "warnings": list(tree.warnings)}


def tree_from_json(raw: dict[str, Any]) -> ParameterTree:
    parameters = {}
    for name, p in raw["parameters"].items():
        series = {
            code: tuple(
                Entry(dt.date.fromisoformat(start), _value_from_json(value), default, assumed, reference)
                for start, value, default, assumed, reference in entries
            )
            for code, entries in p["series"].items()
        }
        parameters[name] = Parameter(
            name=name,
            file=p["file"],
            description_zh=p["description"][0],
            description_en=p["description"][1],
            unit=p["unit"],
            reference=p["reference"],
            breakdown=tuple(p["breakdown"]),
            series=series,
        )
    return ParameterTree(parameters, list(raw["warnings"]))
