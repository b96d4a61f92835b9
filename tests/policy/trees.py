"""Parameter trees for tests that need a household the engine cannot compute (无参数)."""

from __future__ import annotations

import dataclasses
from typing import Any

from jingzhun.policy import params
from jingzhun.policy.params import ParameterTree, load_parameters


def no_urban_standard() -> ParameterTree:
    """The shipped parameters without any urban 低保 standard, so urban households are 无参数 (since the
    amended POLICY.md gives 吕梁市 an urban standard, every county computes them with the real files)."""
    tree = load_parameters()
    urban = tree.get("dibao.standard.urban")
    return ParameterTree({**tree.parameters, urban.name: dataclasses.replace(urban, series={})})


def use_no_urban_standard(monkeypatch: Any) -> None:
    """Make every ``load_parameters()`` of the test return :func:`no_urban_standard`'s tree."""
    tree = no_urban_standard()
    monkeypatch.setattr(params, "_default_tree", lambda: tree)


def without(name: str) -> ParameterTree:
    """The shipped parameters with parameter ``name`` left without any value."""
    tree = load_parameters()
    parameter = tree.get(name)
    return ParameterTree({**tree.parameters, name: dataclasses.replace(parameter, series={})})
