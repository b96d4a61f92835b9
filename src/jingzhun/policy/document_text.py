"""The document path straight to ``jingzhun entitle``'s JSON text, column by column.

The same evaluation as :func:`~jingzhun.policy.document_lines.compute_households` (``_evaluate``, the
programs' rules with their step columns, the event programs and the 0.00 低保 notes), but each paying
row becomes the JSON text of its line without a :class:`~jingzhun.policy.calc.Line`, its dicts or a
Fraction per value: every input and step column is converted once per distinct value — by the very
functions the line path uses (``_line``'s conversions, ``explain._json``), so the text cannot differ —
and each line's text is joined from its columns' pieces, the parameter list's text shared by every row
of a (lookup row, parameter labels). ``tests/policy/test_document_text.py`` holds the two paths equal,
byte for byte, on seeded documents with every program, CPI, history, events and missing parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from fractions import Fraction
from types import ModuleType
from typing import Any

import polars as pl

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.calc import ParamUse
from jingzhun.policy.document import Document, Household
from jingzhun.policy.document_lines import (
    _KEYS,
    _evaluate,
    _event_programs,
    _fields,
    _fraction,
    _struct_fraction,
    _zero_top_ups,
)
from jingzhun.policy.engine import HouseholdResult
from jingzhun.policy.evaluate import explained
from jingzhun.policy.explain import _json, _parameter, household_json, line_json, rule_words
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import ParameterTree, Resolved
from jingzhun.policy.programs import BY_NAME, NAMES_ZH, ORDER

# one household's lines from the frames: (program order, JSON text, amount in fen)
TextLine = tuple[int, str, int]


# ``json.dumps(value, ensure_ascii=False)`` without building an encoder per call (a text is C's
# ``encode_basestring``; anything else the C encoder with the same settings)
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def households_text(
    doc: Document, households: Sequence[Household], first: dt.date, tree: ParameterTree
) -> tuple[list[str], list[HouseholdResult]]:
    """Each household's JSON text (``explain.household_json`` as ``json.dumps`` writes it) and its
    result (errors, program errors, notes; its ``lines`` only the event programs')."""
    chosen = list(households)
    results = [HouseholdResult(h.id) for h in chosen]
    if not chosen:
        return [], results
    frames, lookup, lk_h = _evaluate(doc, chosen, first, tree, results)
    texts: list[list[TextLine]] = [[] for _ in chosen]
    paid_dibao: set[int] = set()
    cache: dict[Any, Any] = {}
    for module, frame in explained(frames):
        rows = _frame_lines(module, frame, lookup, cache)
        order = ORDER[module.PROGRAM]
        for hx, text, fen in rows:
            texts[hx].append((order, text, fen))
        if module.PROGRAM == "dibao":
            paid_dibao.update(hx for hx, _, _ in rows)
    _event_programs(doc, chosen, first, tree, results, lookup, lk_h)
    _zero_top_ups(frames.households, results, lookup, paid_dibao)
    return [_household(result, lines) for result, lines in zip(results, texts, strict=True)], results


def _household(result: HouseholdResult, lines: list[TextLine]) -> str:
    if result.lines:  # 临时救助 / 孝亲敬老: rare, through the line path's own JSON
        lines = lines + [(ORDER[line.program], _dumps(line_json(line)), line.amount_fen) for line in result.lines]
    if len(lines) > 1:
        lines.sort(key=lambda line: line[0])  # stable: as compute_households sorts its lines
    total = "null" if result.errors else f'"{fen_to_str(sum(line[2] for line in lines))}"'
    text = f'{{"id": {_dumps(result.id)}, "total": {total}, "lines": [{", ".join(line[1] for line in lines)}]'
    if result.errors:
        text += f', "errors": {_dumps(result.errors)}'
    if result.program_errors:
        text += f', "program_errors": {_dumps(result.program_errors)}'
    if result.notes:
        text += f', "notes": {_dumps(result.notes)}'
    return text + "}"


def _frame_lines(
    module: ModuleType, frame: pl.DataFrame, lookup: Lookup, cache: dict[Any, Any]
) -> list[tuple[int, str, int]]:
    """(household row, line JSON text, fen) for each paying row of one program, as ``_line`` then
    ``explain.line_json`` would give. Rows are joined from per-column texts; the sentence is worded once
    per distinct (step values, exact amount, persons, parameters) — everything it is given."""
    n = frame.height
    if n == 0:
        return []
    fractions: dict[tuple[int, int], Fraction] = cache.setdefault("fractions", {})
    input_entries = []
    for key, column in module.INPUTS.items():
        convert = _input_converter(fractions, column.endswith("_fen"))
        input_entries.append(_entries(key, frame[f"input:{key}"], convert, keep_none=True)[0])
    step_keys = [name[5:] for name in frame.columns if name.startswith("step:")]
    step_entries, step_values, step_markers = [], [], []
    for key in step_keys:
        column = frame[f"step:{key}"]
        entries, values, markers = _entries(key, column, _step_converter(fractions), keep_none=False, separator=", ")
        step_entries.append(entries)
        step_values.append(values)
        step_markers.append(markers)
    # all inputs are written; a step whose row is None is left out (its entry is "", the others end in ", ")
    input_texts = list(map(", ".join, zip(*input_entries, strict=True))) if input_entries else [""] * n
    step_texts = list(map("".join, zip(*step_entries, strict=True))) if step_entries else [""] * n
    row_markers = list(zip(*step_markers, strict=True)) if step_markers else [()] * n
    fens = frame["amount_fen"].to_list()
    amounts = _each(fens, fen_to_str)
    exact_of = list(zip(frame["amount_num"].to_list(), frame["amount_den"].to_list(), strict=True))
    exact_known = {(num, den): _fraction(fractions, num, den * 100) for num, den in set(exact_of)}
    exact_text = {pair: f'"amount_exact": {_dumps(_json(value))}' for pair, value in exact_known.items()}
    persons = frame["persons"].to_list()
    members = _each(frame["member_id"].to_list(), lambda member: "null" if member is None else _dumps(member))
    label_columns = [_labels(template, frame) for template in module.PARAMETERS]
    labels = list(zip(*label_columns, strict=True)) if label_columns else [()] * n  # a row's labels, in order
    uses = list(zip(frame["lk"].to_list(), labels, strict=True))
    used = {use: _parameters(lookup, use[0], use[1], cache) for use in set(uses)}
    say = _sentence(module)
    step_columns = list(zip(step_keys, step_entries, step_values, strict=True))
    sentences: dict[Any, str] = {}
    said = []
    for i in range(n):
        key = (row_markers[i], exact_of[i], persons[i], uses[i])
        sentence = sentences.get(key)
        if sentence is None:
            steps = {k: values[i] for k, entries, values in step_columns if entries[i]}
            steps["amount_exact"] = exact_known[exact_of[i]]
            steps["amount"] = amounts[i]
            sentence = sentences[key] = _dumps(say(steps, used[uses[i]][1], amounts[i], persons[i]))
        said.append(sentence)
    head = f'{{"program": {_dumps(module.PROGRAM)}, "member": '
    rule = _dumps(rule_words(module.PROGRAM))
    texts = [
        f'{head}{member}, "amount": "{amount}", "explain": {{"inputs": {{{inputs}}}, '
        f'"steps": {{{steps}{exact_text[exact]}, "amount": "{amount}"}}, '
        f'"parameters": {used[use][0]}, "rule": {rule}, "sentence": {sentence}}}}}'
        for member, amount, inputs, steps, exact, use, sentence in zip(
            members, amounts, input_texts, step_texts, exact_of, uses, said, strict=True
        )
    ]
    return list(zip(frame["hx"].to_list(), texts, fens, strict=True))


def _each(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``[convert(v) for v in values]``, converting each distinct (hashable) value once."""
    known = {value: convert(value) for value in set(values)}
    return [known[value] for value in values]


def _labels(template: str, frame: pl.DataFrame) -> list[str]:
    """Each row's parameter label: the template with the row's fields (``tekun.basic.{area}[{care_setting}]``)."""
    names = _fields(template)
    if not names:
        return [template] * frame.height
    columns = [frame[name if name in frame.columns else f"step:{name}"].to_list() for name in names]
    return _each(list(zip(*columns, strict=True)), lambda row: template.format(**dict(zip(names, row, strict=True))))


def _entries(
    key: str, column: pl.Series, convert: Callable[[Any], Any], *, keep_none: bool, separator: str = ""
) -> tuple[list[str], list[Any], list[Any]]:
    """Each row's ``"key": value`` text followed by ``separator`` ("" where the line path leaves the key
    out: a step whose row is None), the value the line path records, converted once per distinct raw
    value, and the row's hashable marker of its raw value."""
    prefix = f"{_dumps(key)}: "
    markers, raw_of = _markers(column)
    known: dict[Any, tuple[str, Any]] = {}
    for marker in set(markers):
        if marker is None and not keep_none:
            known[marker] = ("", None)
        else:
            value = convert(raw_of(marker))
            known[marker] = (prefix + _dumps(_json(value)) + separator, value)
    found = [known[marker] for marker in markers]
    return [text for text, _ in found], [value for _, value in found], markers


def _markers(column: pl.Series) -> tuple[list[Any], Callable[[Any], Any]]:
    """A hashable marker of each row's value (None for a null row) and the function giving back the value
    ``Series.to_list`` would give for a marker. A struct (``frac``'s {num, den}) is read field by field
    and a list of texts as a tuple, so that no row's value is built as a dict or list."""
    dtype = column.dtype
    nulls = column.is_null().to_list() if column.null_count() else None
    if isinstance(dtype, pl.Struct):
        names = [field.name for field in dtype.fields]
        tuples = list(zip(*(column.struct.field(name).to_list() for name in names), strict=True))
        markers: list[Any] = tuples
        if nulls is not None:
            markers = [None if null else t for t, null in zip(tuples, nulls, strict=True)]
        return markers, lambda marker: None if marker is None else dict(zip(names, marker, strict=True))
    if isinstance(dtype, pl.List) and dtype.inner in (pl.String, pl.Boolean, pl.Int64, pl.Int32):
        markers = [None if items is None else tuple(items) for items in column.to_list()]
        return markers, lambda marker: None if marker is None else list(marker)
    if dtype.is_nested():
        raw = column.to_list()
        markers = [_hashable(item) for item in raw]
        values = dict(zip(markers, raw, strict=True))
        return markers, values.__getitem__
    return column.to_list(), lambda marker: marker  # one column, one type: True and 1 never meet


def _hashable(item: Any) -> Any:
    kind = type(item)
    if kind is dict:
        return (dict, tuple((key, _hashable(value)) for key, value in item.items()))
    if kind is list:
        return (list, tuple(_hashable(value) for value in item))
    return item


def _input_converter(fractions: dict[tuple[int, int], Fraction], is_fen: bool) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:  # document_lines._line's inputs
        if is_fen and value is not None:
            return _fraction(fractions, value, 100)
        if type(value) is dict:
            return _struct_fraction(fractions, value)
        return value

    return convert


def _step_converter(fractions: dict[tuple[int, int], Fraction]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:  # document_lines._line's steps (a None row is left out by _entries)
        return _struct_fraction(fractions, value) if type(value) is dict else value

    return convert


def _parameters(lookup: Lookup, lk: int, labels: tuple[str, ...], cache: dict[Any, Any]) -> tuple[str, dict[str, Any]]:
    """The ``parameters`` list's text and the {label: value} the sentence reads, once per (lk, labels)."""
    key = ("text", lk, labels)
    found = cache.get(key)
    if found is None:
        uses = []
        for label in labels:
            use = cache.get((lk, label))
            if use is None:
                resolved: Resolved = lookup.rows[lk]["resolved"][label.split("[", 1)[0]]
                keys = _KEYS.findall(label)
                use = cache[(lk, label)] = ParamUse(label, resolved.leaf(*keys) if keys else resolved.value, resolved)
            uses.append(use)
        found = cache[key] = (_dumps([_parameter(use) for use in uses]), {use.name: use.value for use in uses})
    return found


def _sentence(module: ModuleType) -> Callable[[dict[str, Any], dict[str, Any], str, int], str]:
    """``explain.sentence`` for this program's lines."""
    found = BY_NAME.get(module.PROGRAM)
    if found is None:
        name = NAMES_ZH.get(module.PROGRAM, module.PROGRAM)
        return lambda steps, params, amount, persons: f"{name} = {amount} 元（定额）"
    return lambda steps, params, amount, persons: str(found.sentence(steps, params, amount, persons))


def households_json_reference(results: Sequence[HouseholdResult]) -> list[str]:
    """The line path's texts (for the tests that hold both equal)."""
    return [_dumps(household_json(result)) for result in results]
