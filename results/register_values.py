"""The register's values: how a name is folded, which words mean which choice
(``register_columns.yaml``), and how a cell or a typed value becomes a number, a date or a choice.

One place for the import, the web form and a chairperson's correction in the bot, so the three
accept the same things and refuse them with the same Vietnamese words. A refusal is a
``ValueError`` whose message says what was expected."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from results import register_texts as t

FILE = Path(__file__).with_name("register_columns.yaml")
CHOICE_FIELDS = ("enterprise_type", "full_time", "elected_how", "party_status")
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# Vietnamese tone and vowel marks, once decomposed, are all combining diacritics of this block;
# other letters (a company's Chinese or Korean name) are kept, so such names stay distinct.
_MARKS = re.compile("[\u0300-\u036f]")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def fold(text: Any) -> str:
    """'  Công đoàn  CS Đại Phát ' → 'cong doan cs dai phat': what names are matched on."""
    decomposed = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    return " ".join(_MARKS.sub("", decomposed).lower().split())


class ColumnsFileError(ValueError):
    """A mistake in ``register_columns.yaml``, naming the entry."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    columns: tuple[Column, ...]
    by_alias: dict[str, str]  # folded header → column key
    choices: dict[str, dict[str, str]]  # field → folded word → stored value

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


@lru_cache(maxsize=1)
def vocabulary(path: Path = FILE) -> Vocabulary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ColumnsFileError(f"{path.name}: không đọc được ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise ColumnsFileError(f"{path.name}: cần mục 'columns:'")
    columns, by_alias = [], {}
    for key, raw in data["columns"].items():
        column = _column(path, key, raw)
        for alias in (fold(column.label), *column.aliases):
            if by_alias.setdefault(alias, key) != key:
                raise ColumnsFileError(f"{path.name}: tên cột '{alias}' thuộc cả {by_alias[alias]} và {key}")
        columns.append(column)
    return Vocabulary(tuple(columns), by_alias, _choices(path, data.get("choices")))


def _column(path: Path, key: Any, raw: Any) -> Column:
    if not isinstance(raw, dict) or not raw.get("label") or not isinstance(raw.get("aliases", []), list):
        raise ColumnsFileError(f"{path.name}: cột '{key}' cần 'label' và danh sách 'aliases'")
    return Column(str(key), str(raw["label"]), bool(raw.get("required", False)),
                  tuple(fold(alias) for alias in raw.get("aliases", [])))


def _choices(path: Path, raw: Any) -> dict[str, dict[str, str]]:
    if not isinstance(raw, dict) or set(raw) != set(CHOICE_FIELDS):
        raise ColumnsFileError(f"{path.name}: 'choices' cần đúng các mục {', '.join(CHOICE_FIELDS)}")
    table: dict[str, dict[str, str]] = {}
    for name, values in raw.items():
        if not isinstance(values, dict):
            raise ColumnsFileError(f"{path.name}: 'choices.{name}' cần các giá trị và từ của chúng")
        words: dict[str, str] = {}
        for value, aliases in values.items():
            for alias in aliases or []:
                words[fold(alias)] = str(value)
        table[name] = words
    return table


# ---- reading one value -----------------------------------------------------------------------
def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number(value: Any, *, low: int = 0, high: int = 10_000_000) -> int:
    """A whole number from a cell (12, 12.0, '1.200', '1 200') or typed text."""
    if isinstance(value, bool):
        raise ValueError(t.NOT_A_NUMBER)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        digits = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        if not re.fullmatch(r"-?\d{1,12}", digits):
            raise ValueError(t.NOT_A_NUMBER)
        value = int(digits)
    if not isinstance(value, int):
        raise ValueError(t.NOT_A_NUMBER)
    if value < 0:
        raise ValueError(t.NEGATIVE)
    if not low <= value <= high:
        raise ValueError(t.OUT_OF_RANGE.format(low=low, high=high))
    return value


def birth_year(value: Any, today: date | None = None) -> int:
    year_now = (today or date.today()).year
    return number(value, low=1940, high=year_now - 15)


def day(value: Any) -> date:
    """A real spreadsheet date, or text dd/mm/yyyy (also with '-' or '.')."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.fullmatch(value.strip())
        if match:
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                pass
    raise ValueError(t.NOT_A_DATE)


def choice(field: str, value: Any) -> str:
    words = vocabulary().choices[field]
    found = words.get(fold(value))
    if found is None:
        raise ValueError(t.NOT_A_CHOICE.format(choices=t.CHOICE_HINTS[field]))
    return found


def flag(value: Any) -> bool:
    """Chuyên trách (True) or kiêm nhiệm (False)."""
    return choice("full_time", value) == "yes"


def phone(value: Any) -> str:
    text = str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    text = text.strip()
    digits = re.sub(r"[\s.\-()]", "", text)
    if not re.fullmatch(r"\+?\d{8,12}", digits):
        raise ValueError(t.NOT_A_PHONE)
    if isinstance(value, (int, float)) and not digits.startswith("0"):
        digits = "0" + digits  # a spreadsheet number drops the leading zero of 0912…
    return digits


def text(value: Any, *, limit: int = 300) -> str:
    cleaned = " ".join(str(value if value is not None else "").split())
    if len(cleaned) > limit:
        raise ValueError(t.TOO_LONG.format(limit=limit))
    return cleaned


def years(value: Any) -> list[int]:
    """'2024; 2025' or 2025 → the years information work was received."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [number(value, low=2000, high=2100)]
    parts = [part for part in re.split(r"[;,\s]+", str(value or "")) if part]
    return sorted({number(part, low=2000, high=2100) for part in parts})


def party(value: Any) -> tuple[str, date | None]:
    """'kết nạp 01/02/2024', 'giới thiệu' → (status, date or None)."""
    raw = str(value or "").strip()
    match = _DATE.search(raw)
    on = day(match[0]) if match else None
    words = (raw[:match.start()] + raw[match.end():]) if match else raw
    words = words.replace(",", " ").replace("(", " ").replace(")", " ").replace("ngày", " ")
    return choice("party_status", words), on


def dated_title(item: str) -> tuple[str, date]:
    """'Bằng khen LĐLĐ tỉnh (15/01/2025)' → (title, date); a bare year stands for 31/12 of it,
    so a commendation known only by its year counts in that year's annual report."""
    match = _DATE.search(item)
    if match:
        on = day(match[0])
        rest = item[:match.start()] + item[match.end():]
    else:
        year = _YEAR.search(item)
        if year is None:
            raise ValueError(t.COMMENDATION_NO_DATE)
        on, rest = date(int(year[0]), 12, 31), item[:year.start()] + item[year.end():]
    title = " ".join(rest.replace("()", " ").strip(" -–,;()").split())
    if title.endswith(" năm"):
        title = title[:-4]
    return text(title or item), on
