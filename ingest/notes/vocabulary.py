"""The controlled vocabulary in ``notes/themes.yml``: themes, regions, stakeholders, kinds.

A tag that is not in the vocabulary is an error with a suggestion, never a new tag.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import BuildRefused, Problem
from .tags import TAGS

# \A…\Z, not ^…$: '$' also matches before a final newline, so "crowdfunding\n" would pass.
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LISTS = ("themes", "regions", "stakeholders", "kinds", "source_types")
CONCEPT_LISTS = tuple(tag.name for tag in TAGS)  # the lists whose terms have aliases and keywords
TERM_FIELDS = {"slug", "en", "ko", "description", "parent", "iso37120", "giffinger", "service_field",
               "aliases", "keywords"}
WORD_LIST_FIELDS = ("aliases", "keywords")
REQUIRED_TERM_FIELDS = ("slug", "en", "ko")
FACET_OF = {tag.name: tag.facet for tag in TAGS}  # "themes" → "theme"


@dataclass(frozen=True)
class Term:
    slug: str
    en: str
    ko: str
    description: str = ""
    parent: str | None = None
    iso37120: str | None = None  # ISO 37120:2018 theme
    giffinger: str | None = None  # Giffinger et al. (2007) smart-city dimension
    service_field: str | None = None  # 스마트도시법 시행령 스마트도시서비스 분야
    aliases: tuple[str, ...] = ()  # other names of this concept, Korean and English
    keywords: tuple[str, ...] = ()  # words pointing to it in a text (drafts only)
    line: int = field(default=0, compare=False)  # of its entry in themes.yml

    @property
    def names(self) -> tuple[str, ...]:
        """What the concept is called: its labels and aliases, both languages."""
        return (self.ko, self.en, *self.aliases)

    @property
    def label(self) -> str:
        """Korean first, English second: what facets and memos show."""
        return f"{self.ko} · {self.en}"


@dataclass
class Vocabulary:
    themes: dict[str, Term] = field(default_factory=dict)
    regions: dict[str, Term] = field(default_factory=dict)
    stakeholders: dict[str, Term] = field(default_factory=dict)
    kinds: dict[str, Term] = field(default_factory=dict)
    source_types: dict[str, Term] = field(default_factory=dict)

    def terms(self, list_name: str) -> dict[str, Term]:
        return getattr(self, list_name)

    def suggest(self, list_name: str, value: str) -> str | None:
        """The closest valid slug for a mistyped value, matching slugs, labels and aliases."""
        terms = self.terms(list_name)
        wanted = name_key(value)
        for term in terms.values():
            if wanted in (name_key(term.slug), *map(name_key, term.names)):
                return term.slug
        close = difflib.get_close_matches(value.strip().lower(), list(terms), n=1, cutoff=0.6)
        return close[0] if close else None


class _LineLoader(yaml.CSafeLoader):
    """libyaml loader that records the line of every mapping as ``__line__``."""


def _mapping_with_line(loader: yaml.Loader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_vocabulary(path: Path, display_path: str | None = None) -> Vocabulary:
    """Read and check ``themes.yml``; raise BuildRefused listing every problem."""
    where = display_path or str(path)
    try:
        data = yaml.load(unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig")), Loader=_LineLoader)
    except FileNotFoundError:
        raise BuildRefused([Problem(where, 1, "vocabulary file not found", "create notes/themes.yml")])
    except yaml.YAMLError as error:
        line = error.problem_mark.line + 1 if getattr(error, "problem_mark", None) else 1
        raise BuildRefused([Problem(where, line, f"invalid YAML: {getattr(error, 'problem', error)}")])

    problems: list[Problem] = []
    vocabulary = Vocabulary()
    if not isinstance(data, dict):
        raise BuildRefused([Problem(where, 1, "expected the lists " + ", ".join(LISTS))])
    for list_name in LISTS:
        entries = data.get(list_name)
        if not isinstance(entries, list) or not entries:
            problems.append(Problem(where, data.get("__line__", 1), f"missing or empty list '{list_name}'"))
            continue
        terms = vocabulary.terms(list_name)
        for entry in entries:
            if term := _read_term(entry, list_name, where, problems):
                if term.slug in terms:
                    problems.append(Problem(where, term.line, f"duplicate {list_name} slug '{term.slug}'"))
                terms[term.slug] = term
    for term in vocabulary.themes.values():
        if term.parent and term.parent not in vocabulary.themes:
            problems.append(Problem(where, term.line, f"theme '{term.slug}' has unknown parent '{term.parent}'"))
    for cycle in _parent_cycles(vocabulary.themes):
        problems.append(Problem(where, vocabulary.themes[cycle[0]].line, "themes are their own ancestors: " + " → ".join(cycle),
                                "a theme's parent must be a broader theme: remove one 'parent' of the cycle"))
    problems += _name_clashes(vocabulary, where)
    if problems:
        raise BuildRefused(problems)
    return vocabulary


def _read_term(entry, list_name: str, where: str, problems: list[Problem]) -> Term | None:
    """One entry of a list as a Term, or None (with the reason in ``problems``)."""
    line = entry.get("__line__", 1) if isinstance(entry, dict) else 1
    if not isinstance(entry, dict):
        problems.append(Problem(where, line, f"each entry of '{list_name}' must be a mapping"))
        return None
    values = {k: v for k, v in entry.items() if k != "__line__"}
    missing = [k for k in REQUIRED_TERM_FIELDS if not values.get(k)]
    if missing:
        problems.append(Problem(where, line, f"{list_name} entry lacks {', '.join(missing)}"))
        return None
    unknown = sorted(set(values) - TERM_FIELDS)
    if unknown:
        problems.append(Problem(where, line, f"unknown field(s) {', '.join(unknown)}",
                                "allowed: " + ", ".join(sorted(TERM_FIELDS))))
    slug = str(values["slug"])
    if not SLUG.fullmatch(slug):
        problems.append(Problem(where, line, f"slug '{slug}' must be lowercase words joined by '-'"))
    words = {}
    for name in WORD_LIST_FIELDS:
        if name not in values:
            continue
        if list_name not in CONCEPT_LISTS:
            problems.append(Problem(where, line, f"{list_name} have no {name}",
                                    "aliases and keywords belong to themes, regions and stakeholders"))
        elif not isinstance(values[name], list) or not all(isinstance(w, str) and w.strip() for w in values[name]):
            problems.append(Problem(where, line, f"{name} of '{slug}' must be a list of words",
                                    f"write {name}: [클라우드 펀딩, crowd funding]"))
        else:
            words[name] = tuple(w.strip() for w in values[name])
    scalars = {k: str(v) for k, v in values.items() if k in TERM_FIELDS and k not in WORD_LIST_FIELDS}
    return Term(**scalars, **words, line=line)


def name_key(name: str) -> str:
    """A name as two spellings of it compare: case, width, spaces, hyphens and dots aside
    (클라우드 펀딩 = 클라우드펀딩, crowd-funding = Crowd funding)."""
    return re.sub(r"[\s\-‐-―·.]", "", unicodedata.normalize("NFKC", name).casefold())


def _name_clashes(vocabulary: Vocabulary, where: str) -> list[Problem]:
    """A label or alias names one concept only, across themes, regions and stakeholders."""
    owners: dict[str, Term] = {}
    owner_list: dict[str, str] = {}
    problems = []
    for list_name in CONCEPT_LISTS:
        for term in vocabulary.terms(list_name).values():
            for name in dict.fromkeys(name_key(n) for n in term.names):
                other = owners.setdefault(name, term)
                if other is not term:
                    shown = next(n for n in term.names if name_key(n) == name)
                    problems.append(Problem(
                        where, term.line,
                        f"'{shown}' names both {owner_list[name]} '{other.slug}' (line {other.line}) "
                        f"and {FACET_OF[list_name]} '{term.slug}'",
                        "a name belongs to one concept: keep it on one, or make it a keyword"))
                owner_list.setdefault(name, FACET_OF[list_name])
    return problems


def broader_themes(parents: Mapping[str, str | None], slug: str) -> list[str]:
    """A theme and every broader theme above it, nearest first, given each theme's parent
    (a cycle ends the climb; the build refuses cycles, see ``_parent_cycles``)."""
    chain: list[str] = []
    while slug in parents and slug not in chain:
        chain.append(slug)
        slug = parents[slug]
    return chain


def _parent_cycles(themes: dict[str, Term]) -> list[list[str]]:
    """Every chain of parents that comes back to itself, once, as [a, b, …, a]."""
    cycles, done = [], set()
    for start in themes:
        path: list[str] = []
        slug: str | None = start
        while slug in themes and slug not in done and slug not in path:
            path.append(slug)
            slug = themes[slug].parent
        if slug in path:
            cycle = path[path.index(slug):]
            cycles.append(cycle + [slug])
        done.update(path)
    return cycles
