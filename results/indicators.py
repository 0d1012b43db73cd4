"""The plan's indicators and the report's narrative headings, as data (``indicators.yaml``).

Loaded once and validated: a mistake names the file and line, so whoever adds a programme's
indicator sees at once what to fix. Which measures exist (how a register figure is computed) is
``MEASURES``; ``results.measures`` computes them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).with_name("indicators.yaml")
MEASURES = ("unions", "chairs", "chairs_full_time", "chairs_info_work_year", "chairs_trained_term",
            "unions_direct_elected", "chairs_party_introduced", "chairs_party_admitted",
            "chairs_commended_period", "chairs_trained_period")
SOURCES = ("register", "entered")
TARGET_BY = ("every_year", "end_of_term")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class IndicatorError(ValueError):
    """A mistake in the indicators file, with its file and line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path.name}, dòng {line}: {problem}")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    section: str
    unit: str
    source: str  # register | entered
    measure: str = ""  # for source "register": one of MEASURES
    of: str = ""  # the indicator this one is a part of (≤ it; reached % = this / that)
    max_of: str = ""  # an entered figure that may not exceed another
    target_percent: float | None = None
    target_by: str = ""

    @property
    def computed(self) -> bool:
        return self.source == "register"


@dataclass(frozen=True)
class Heading:
    code: str
    heading: str


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    narrative: tuple[Heading, ...]

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.indicators)

    @property
    def with_targets(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.target_percent is not None)


@lru_cache(maxsize=4)
def catalogue(path: Path = FILE) -> Catalogue:
    return load(path)


def load(path: Path) -> Catalogue:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise IndicatorError(path, mark.line + 1 if mark else 1, "không đọc được YAML") from error
    if not isinstance(root, yaml.MappingNode):
        raise IndicatorError(path, 1, "tệp phải có 'indicators' và 'narrative'")
    sections = {key.value: value for key, value in root.value}
    indicators = tuple(_indicator(path, node) for node in _items(path, sections, "indicators"))
    narrative = tuple(_heading(path, node) for node in _items(path, sections, "narrative"))
    _check_whole(path, sections["indicators"], indicators, narrative)
    return Catalogue(indicators, narrative)


def _items(path: Path, sections: dict, name: str) -> list[yaml.Node]:
    node = sections.get(name)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise IndicatorError(path, 1, f"thiếu danh sách '{name}'")
    return node.value


def _fields(path: Path, node: yaml.Node) -> tuple[dict[str, Any], int]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise IndicatorError(path, line, "mỗi mục phải là một bảng khoá: giá trị")
    fields: dict[str, Any] = {}
    for key, value in node.value:
        if key.value in fields:
            raise IndicatorError(path, key.start_mark.line + 1, f"khoá '{key.value}' lặp lại")
        fields[key.value] = yaml.safe_load(yaml.serialize(value))
    return fields, line


def _indicator(path: Path, node: yaml.Node) -> Indicator:
    fields, line = _fields(path, node)
    known = set(Indicator.__dataclass_fields__)
    unknown = set(fields) - known
    if unknown:
        raise IndicatorError(path, line, f"khoá không biết: {', '.join(sorted(unknown))}")
    for required in ("code", "name", "section", "unit", "source"):
        if not str(fields.get(required) or "").strip():
            raise IndicatorError(path, line, f"thiếu '{required}'")
    code = str(fields["code"])
    if not _CODE.match(code):
        raise IndicatorError(path, line, f"mã '{code}' chỉ gồm chữ thường không dấu, số, gạch dưới")
    if fields["source"] not in SOURCES:
        raise IndicatorError(path, line, f"source phải là {' hoặc '.join(SOURCES)}")
    measure = str(fields.get("measure") or "")
    if fields["source"] == "register" and measure not in MEASURES:
        raise IndicatorError(path, line, f"measure '{measure}' không có; chọn: {', '.join(MEASURES)}")
    if fields["source"] == "entered" and measure:
        raise IndicatorError(path, line, "chỉ tiêu đơn vị tự nhập không có 'measure'")
    target = fields.get("target_percent")
    if target is not None and (not isinstance(target, int | float) or not 0 < target <= 100):
        raise IndicatorError(path, line, "target_percent phải là số từ 1 đến 100")
    if target is not None and not fields.get("of"):
        raise IndicatorError(path, line, "chỉ tiêu % cần 'of' (mẫu số)")
    if fields.get("target_by", "") not in ("", *TARGET_BY):
        raise IndicatorError(path, line, f"target_by phải là {' hoặc '.join(TARGET_BY)}")
    return Indicator(code=code, name=str(fields["name"]).strip(), section=str(fields["section"]),
                     unit=str(fields["unit"]), source=fields["source"], measure=measure,
                     of=str(fields.get("of") or ""), max_of=str(fields.get("max_of") or ""),
                     target_percent=float(target) if target is not None else None,
                     target_by=str(fields.get("target_by") or ""))


def _heading(path: Path, node: yaml.Node) -> Heading:
    fields, line = _fields(path, node)
    code, heading = str(fields.get("code") or ""), str(fields.get("heading") or "").strip()
    if not _CODE.match(code) or not heading:
        raise IndicatorError(path, line, "mỗi phần lời cần 'code' (chữ thường) và 'heading'")
    return Heading(code, heading)


def _check_whole(path: Path, node: yaml.SequenceNode, indicators: tuple[Indicator, ...],
                 narrative: tuple[Heading, ...]) -> None:
    seen: dict[str, int] = {}
    for item, indicator in zip(node.value, indicators, strict=True):
        line = item.start_mark.line + 1
        if indicator.code in seen:
            raise IndicatorError(path, line, f"mã '{indicator.code}' trùng với dòng {seen[indicator.code]}")
        seen[indicator.code] = line
    for item, indicator in zip(node.value, indicators, strict=True):
        for link in (indicator.of, indicator.max_of):
            if link and link not in seen:
                raise IndicatorError(path, item.start_mark.line + 1, f"'{link}' không phải mã chỉ tiêu nào")
            if link == indicator.code:
                raise IndicatorError(path, item.start_mark.line + 1, "chỉ tiêu không thể là mẫu số của chính nó")
    headings = [heading.code for heading in narrative]
    if len(set(headings)) != len(headings):
        raise IndicatorError(path, 1, "mã phần lời bị trùng")
