"""The controlled vocabulary in ``notes/themes.yml``: themes, regions, stakeholders, kinds.

A tag that is not in the vocabulary is an error with a suggestion, never a new tag.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import BuildRefused, Problem

# \A…\Z, not ^…$: '$' also matches before a final newline, so "crowdfunding\n" would pass.
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LISTS = ("themes", "regions", "stakeholders", "kinds", "source_types")
TERM_FIELDS = {"slug", "en", "ko", "description", "parent", "iso37120", "giffinger", "service_field"}
REQUIRED_TERM_FIELDS = ("slug", "en", "ko")


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
        """The closest valid slug for a mistyped value, matching slugs and labels."""
        terms = self.terms(list_name)
        wanted = value.strip().lower()
        for term in terms.values():
            if wanted in (term.en.lower(), term.ko.lower(), term.slug.replace("-", " ")):
                return term.slug
        close = difflib.get_close_matches(wanted, list(terms), n=1, cutoff=0.6)
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
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LineLoader)
    except FileNotFoundError:
        raise BuildRefused([Problem(where, 1, "vocabulary file not found", "create notes/themes.yml")])
    except yaml.YAMLError as error:
        line = error.problem_mark.line + 1 if getattr(error, "problem_mark", None) else 1
        raise BuildRefused([Problem(where, line, f"invalid YAML: {getattr(error, 'problem', error)}")])

    problems: list[Problem] = []
    theme_lines: dict[str, int] = {}
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
            line = entry.get("__line__", 1) if isinstance(entry, dict) else 1
            if not isinstance(entry, dict):
                problems.append(Problem(where, line, f"each entry of '{list_name}' must be a mapping"))
                continue
            values = {k: v for k, v in entry.items() if k != "__line__"}
            missing = [k for k in REQUIRED_TERM_FIELDS if not values.get(k)]
            unknown = sorted(set(values) - TERM_FIELDS)
            if missing:
                problems.append(Problem(where, line, f"{list_name} entry lacks {', '.join(missing)}"))
                continue
            if unknown:
                problems.append(Problem(where, line, f"unknown field(s) {', '.join(unknown)}",
                                        "allowed: " + ", ".join(sorted(TERM_FIELDS))))
            slug = str(values["slug"])
            if not SLUG.fullmatch(slug):
                problems.append(Problem(where, line, f"slug '{slug}' must be lowercase words joined by '-'"))
            if slug in terms:
                problems.append(Problem(where, line, f"duplicate {list_name} slug '{slug}'"))
            if list_name == "themes":
                theme_lines[slug] = line
            terms[slug] = Term(**{k: str(v) for k, v in values.items() if k in TERM_FIELDS})
    for term in vocabulary.themes.values():
        if term.parent and term.parent not in vocabulary.themes:
            problems.append(Problem(where, theme_lines[term.slug],
                                    f"theme '{term.slug}' has unknown parent '{term.parent}'"))
    for cycle in _parent_cycles(vocabulary.themes):
        problems.append(Problem(where, theme_lines[cycle[0]], "themes are their own ancestors: " + " → ".join(cycle),
                                "a theme's parent must be a broader theme: remove one 'parent' of the cycle"))
    if problems:
        raise BuildRefused(problems)
    return vocabulary


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
