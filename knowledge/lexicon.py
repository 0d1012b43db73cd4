"""What users type versus what the texts say: abbreviations, document names, everyday words,
situations per article and the situation rules — loaded from the data files in
``knowledge/vocabulary/`` (YAML) and validated when loaded.

The files are data, written from the vocabulary of Vietnamese labour law and union work, never
from an evaluation question. Loading checks their shape (a duplicated key, a phrasing over
``MAX_PHRASING`` characters, a rule that is not a valid regular expression, a malformed ref:
a ``VocabularyError`` naming the file and line); ``check_references`` checks them against the
corpus (every ref names an article or plan section that exists and is in force), which ``cdcs
index`` runs before it builds anything, so a bad file never reaches a running bot's index.

Keys are matched on the folded form (no diacritics, lowercase), so "CĐCS", "cdcs" and "cđcs"
all hit the same entry.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from knowledge.library import Library

VOCABULARY_DIR = Path(__file__).parent / "vocabulary"
MAX_PHRASING = 1000  # characters: a phrasing is what someone says, not a page of text
_REF = re.compile(r"[a-z0-9-]+:(d\d+[a-z]?|[IVX]+(\.\d+)?)")


class VocabularyError(ValueError):
    """A problem in a vocabulary file, with the file and line to fix."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path.name}:{line}" if line is not None else path.name
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass
class Vocabulary:
    abbreviations: dict[str, str] = field(default_factory=dict)
    doc_aliases: dict[str, str] = field(default_factory=dict)
    colloquial: dict[str, str] = field(default_factory=dict)
    everyday_phrases: tuple[str, ...] = ()
    stopwords: frozenset[str] = frozenset()
    domain_cues: tuple[str, ...] = ()
    workplace_words: tuple[str, ...] = ()
    fines_cues: tuple[str, ...] = ()
    # ref → the article's everyday situations, joined (an extra chunk of the article)
    article_situations: dict[str, str] = field(default_factory=dict)
    # (name, groups, legal words added to the query)
    situation_rules: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    # where each ref and alias target was written, to name it in an error
    sources: dict[str, tuple[Path, int]] = field(default_factory=dict)


# ---- Reading YAML with line numbers and without silent duplicates ---------------------------

class _Loader(yaml.SafeLoader):
    """A safe loader that refuses duplicated keys (PyYAML keeps the last one silently) and
    records the line of each mapping key."""

    path: Path = Path("?")

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, Hashable):  # "? [a, b]": a list as a key
                raise VocabularyError(self.path, line, "khoá phải là một chữ hoặc một số")
            if key in seen:
                raise VocabularyError(self.path, line,
                                      f"khoá «{key}» bị lặp (đã có ở dòng {seen[key]})")
            seen[key] = line
        self.key_lines = seen
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_map(self, node: yaml.MappingNode):
        # The dict handed to the caller is this one, not construct_mapping's: record the key
        # lines against it (nested mappings are built later, so key_lines is still ours).
        data: dict = {}
        yield data
        data.update(self.construct_mapping(node))
        self.lines.update({(id(data), key): line for key, line in self.key_lines.items()})


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


def _read(path: Path) -> tuple[Any, dict]:
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.path, loader.lines = path, {}
    try:
        return loader.get_single_data(), loader.lines
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise VocabularyError(path, mark.line + 1 if mark else None,
                              f"không đọc được YAML: {getattr(error, 'problem', error)}") from None
    finally:
        loader.dispose()


def _line(lines: dict, mapping: dict, key: str) -> int | None:
    return lines.get((id(mapping), key))


# ---- Shape checks ---------------------------------------------------------------------------

def _text(path: Path, line: int | None, value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VocabularyError(path, line, f"{what} phải là một chuỗi chữ không rỗng")
    if len(value) > MAX_PHRASING:
        raise VocabularyError(path, line, f"{what} dài {len(value)} ký tự (tối đa {MAX_PHRASING})")
    return value.strip()


def _mapping(path: Path, folder: Path) -> tuple[dict[str, str], dict]:
    data, lines = _read(folder / path)
    if not isinstance(data, dict):
        raise VocabularyError(folder / path, 1, "tệp phải là một bảng «khoá: giá trị»")
    out = {}
    for key, value in data.items():
        line = _line(lines, data, key)
        out[_text(folder / path, line, key, "khoá")] = _text(folder / path, line, value, f"giá trị của «{key}»")
    return out, {key: _line(lines, data, key) for key in data}


def _words(path: Path, data: dict, lines: dict, name: str) -> tuple[str, ...]:
    values = data.get(name)
    line = _line(lines, data, name)
    if not isinstance(values, list):
        raise VocabularyError(path, line, f"«{name}» phải là một danh sách")
    return tuple(_text(path, line, value, f"một mục của «{name}»") for value in values)


def load(folder: Path | None = None) -> Vocabulary:
    """Every vocabulary file of ``folder`` (default: the shipped one), shape-checked
    (references are checked separately, against the corpus, by ``check_references``)."""
    folder = folder or VOCABULARY_DIR
    vocab = Vocabulary()
    vocab.abbreviations, _ = _mapping(Path("abbreviations.yaml"), folder)
    vocab.colloquial, _ = _mapping(Path("colloquial.yaml"), folder)
    vocab.doc_aliases, alias_lines = _mapping(Path("documents.yaml"), folder)
    for alias, doc_id in vocab.doc_aliases.items():
        vocab.sources[f"alias:{alias}"] = (folder / "documents.yaml", alias_lines.get(alias) or 0)

    cues_path = folder / "cues.yaml"
    cues, lines = _read(cues_path)
    if not isinstance(cues, dict):
        raise VocabularyError(cues_path, 1, "tệp phải là một bảng các danh sách")
    vocab.everyday_phrases = _words(cues_path, cues, lines, "everyday_phrases")
    vocab.stopwords = frozenset(_words(cues_path, cues, lines, "stopwords"))
    vocab.domain_cues = _words(cues_path, cues, lines, "domain_cues")
    vocab.workplace_words = _words(cues_path, cues, lines, "workplace_words")
    vocab.fines_cues = _words(cues_path, cues, lines, "fines_cues")

    vocab.situation_rules = _rules(folder / "situation_rules.yaml")
    for path in sorted((folder / "situations").glob("*.yaml")):
        _situations(path, vocab)
    return vocab


def _rules(path: Path) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    data, lines = _read(path)
    if not isinstance(data, list):
        raise VocabularyError(path, 1, "tệp phải là một danh sách các quy tắc")
    rules, names = [], set()
    for rule in data:
        line = _line(lines, rule, "name") if isinstance(rule, dict) else None
        if not isinstance(rule, dict) or set(rule) != {"name", "all", "adds"}:
            raise VocabularyError(path, line, "mỗi quy tắc cần đúng ba mục: name, all, adds")
        name = _text(path, line, rule["name"], "name")
        if name in names:
            raise VocabularyError(path, line, f"quy tắc «{name}» bị lặp")
        names.add(name)
        groups = rule["all"]
        if not isinstance(groups, list) or not groups:
            raise VocabularyError(path, _line(lines, rule, "all"), f"«all» của «{name}» phải là một danh sách")
        for group in groups:
            pattern = _text(path, _line(lines, rule, "all"), group, f"một mục «all» của «{name}»")
            try:
                re.compile(pattern.removeprefix("!"))
            except re.error as error:
                raise VocabularyError(path, _line(lines, rule, "all"),
                                      f"biểu thức «{pattern}» của «{name}» sai: {error}") from None
        rules.append((name, tuple(groups), _text(path, _line(lines, rule, "adds"), rule["adds"], "adds")))
    return tuple(rules)


def _situations(path: Path, vocab: Vocabulary, *, merge: bool = False) -> None:
    """One situations file into ``vocab``; ``merge`` adds to a ref's shipped phrasings (the
    staff's file) where a shipped file may not repeat a ref."""
    data, lines = _read(path)
    if data is None:
        return
    if not isinstance(data, dict):
        raise VocabularyError(path, 1, "tệp phải là một bảng «ref: [các cách nói]»")
    for ref, phrasings in data.items():
        line = _line(lines, data, ref)
        if not isinstance(ref, str) or not _REF.fullmatch(ref):
            raise VocabularyError(path, line, f"«{ref}» không phải một ref (ví dụ blld-2019:d36, kh-cdcs-2020:II.4)")
        if ref in vocab.article_situations and not merge:
            raise VocabularyError(path, line, f"«{ref}» đã có trong {vocab.sources[ref][0].name}")
        if isinstance(phrasings, str):
            phrasings = [phrasings]
        if not isinstance(phrasings, list) or not phrasings:
            raise VocabularyError(path, line, f"«{ref}» cần một danh sách cách nói")
        texts = [_text(path, line, text, f"một cách nói của «{ref}»") for text in phrasings]
        vocab.article_situations[ref] = " ".join([vocab.article_situations.get(ref, ""), *texts]).strip()
        vocab.sources.setdefault(ref, (path, line or 0))
        if merge:
            vocab.sources[f"staff:{ref}"] = (path, line or 0)


# ---- Against the corpus ----------------------------------------------------------------------

def check_references(vocab: Vocabulary, library: Library) -> None:
    """Every situation ref names an article or plan section of the corpus whose document is in
    force, and every document alias names a document; else a VocabularyError at its line."""
    for ref, (path, line) in vocab.sources.items():
        ref = ref.removeprefix("staff:")
        if ref.startswith("alias:"):
            doc_id = vocab.doc_aliases[ref.removeprefix("alias:")]
            if doc_id not in library.documents:
                raise VocabularyError(path, line, f"tên gọi trỏ tới văn bản «{doc_id}» không có trong kho")
            continue
        provision = library.get(ref)
        if provision is None or provision.ref != provision.article_ref:
            raise VocabularyError(path, line, f"«{ref}» không phải một điều hay mục có trong văn bản")
        document = library.documents.get(provision.doc_id)
        if document is not None and document.status == "superseded":
            raise VocabularyError(path, line, f"«{ref}» thuộc văn bản đã hết hiệu lực ({document.title})")


# Phrasings staff linked to articles from the web page, kept beside the data (DATA_DIR): they
# join the shipped ones. Set from the settings by the knowledge service (``use_staff_file``).
_staff_file: Path | None = None


def use_staff_file(path: Path | None) -> None:
    """Read staff phrasings from ``path`` too (from the next ``vocabulary()``)."""
    global _staff_file
    if path != _staff_file:
        _staff_file = path
        vocabulary.cache_clear()


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary and the staff's phrasings, loaded on first use (so a bad file is
    reported by the command that uses it, as one line, and a running process keeps what it
    loaded until it is told the staff added one: ``vocabulary.cache_clear()``)."""
    vocab = load()
    if _staff_file is not None and _staff_file.exists():
        _situations(_staff_file, vocab, merge=True)
    return vocab
