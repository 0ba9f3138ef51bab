"""Every pattern that reads report text is linear in it: arbitrary text, and long runs of one
character (50,000 spaces, tabs, digits, 년, dots, dashes …) after whatever starts a match, are
answered within a generous bound.

Found by issue 19: DATE_RANGE (three adjacent ``\\s*`` around optional groups) took 41 s on a
date line followed by 40,000 spaces; PHOTO (``사진.*…``) scanned to the end again from every 사진.
The patterns are collected from the modules (every compiled pattern of ingest/draft/, and of
ingest/notes/parse.py, which reads the drafted quotes and titles), so a new one is tested too;
each is tried with search, match, fullmatch, findall and sub, except those the code only ever
anchors at the start of a line (match, fullmatch: ANCHORED below).
The bound (1 s for all methods on 50,000 characters) is some fifty times what a linear pattern
takes here and a small fraction of what the quadratic ones took: it fails if one comes back.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest.draft
from ingest.draft.candidates import is_photo_remark, is_substantive
from ingest.draft.overview import _without, read_facts
from ingest.draft.structure import Item, read_structure
from ingest.notes.parse import parse_note

# Every module of the draft tool (a new one is in at once) and the note parser.
MODULES = sorted("ingest.draft." + module.name for module in pkgutil.iter_modules(ingest.draft.__path__)) + [
    "ingest.notes.parse"]
PATTERNS = {f"{module.rsplit('.', 1)[1]}.{name}": value for module in MODULES
            for name, value in vars(importlib.import_module(module)).items() if isinstance(value, re.Pattern)}
# Used with match or fullmatch only, on one line or one name: a leading \s* or [\w-]* of these
# would be scanned again from every position by a search, which their code never makes.
ANCHORED = {"parse.ATTRIBUTE", "parse.FRONT_MATTER_KEY", "parse.FENCE", "parse.QUOTE", "structure.FIELD",
            "structure.HEADING", "pdf.HEADING", "structure.MARKER", "pdf.MARKER", "office.MARKER", "text.PIPE_ROW",
            "text.PIPE_SEPARATOR", "candidates.ATTACHMENT", "overview.ORGANIZATION", "overview.DATE_LINE",
            "packages.HWP_SECTION", "sections.CHAPTER", "sections.NAME_ONLY", "sections.TITLE_HEADING",
            "sections.SUBTITLE", "sections.ENGLISH_HEADING", "sections.FIELD", "administrative.PAGE_NUMBER",
            "administrative.PROGRAMME_OPENING", "administrative.PERSON", "administrative.FIELD",
            "front_matter.ENGLISH_ORGANIZATION", "front_matter.DEPARTMENT", "front_matter.BY_LINE", "front_matter.SUBTITLE"}
RUN = 50_000
BOUND = 1.0  # seconds for one input through every method of one pattern
# What starts a match somewhere in these patterns, so that the run is scanned from inside one.
PREFIXES = ["", "2016.03.17", "2016.03.17(목)", "2018. 7. 8.", "사진", "첨부", "촬영", "- a:", "- themes: a", "#", "1.",
            "|", "<", "「", "(", "다음과", "chatham", "a", "영국", "k:", "□", "17:"]
UNITS = [" ", "\t", "0", "년", ".", "-", "a", "가", ":", "(", "|", "#", "사진", "<", "「", "\n", " -", "0 ", ". ", "1-", "- "]


def _all_methods(pattern: re.Pattern, text, anchored: bool = False):
    pattern.match(text)
    pattern.fullmatch(text)
    if not anchored:
        pattern.search(text)
        pattern.findall(text)
        pattern.sub(text[:0], text)


BRIEF_RUNS = [" ", "\t", "0", "년", ".", "-"]  # the runs issue 19 asks for, each alone and after a date


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_is_linear_on_runs_of_one_character(name):
    """Breaks if a pattern backtracks over a run, or starts again inside one it failed on."""
    pattern = PATTERNS[name]
    for prefix in ("", "2016.03.17", "2016.03.17(목)"):
        for unit in BRIEF_RUNS:
            text = as_input(pattern, prefix + unit * RUN + "x")
            assert timed(_all_methods, pattern, text, name in ANCHORED) < BOUND, f"{name} on {prefix!r} + {unit!r} × {RUN}"


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def as_input(pattern: re.Pattern, text: str):
    return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


def test_the_patterns_are_collected():
    assert {"overview.DATE_RANGE", "candidates.PHOTO_AFTER", "structure.HEADING", "parse.ATTRIBUTE",
            "parse.COMMENT", "packages.PARAGRAPH_TAG"} <= set(PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), unit=st.sampled_from(UNITS) | st.text(min_size=1, max_size=3),
       suffix=st.sampled_from(["", "x", "~", "\n", ")", "#"]))
def test_every_pattern_is_linear_on_a_long_run(name, prefix, unit, suffix):
    """The same, after whatever starts a match in some pattern, with runs of other characters."""
    pattern = PATTERNS[name]
    text = as_input(pattern, prefix + unit * (RUN // len(unit)) + suffix)
    assert timed(_all_methods, pattern, text, name in ANCHORED) < BOUND, f"{name} on {prefix!r} + {unit!r} × {RUN // len(unit)}"


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=2_000))
def test_every_pattern_answers_arbitrary_text(name, text):
    pattern = PATTERNS[name]
    assert timed(_all_methods, pattern, as_input(pattern, text), name in ANCHORED) < BOUND


@settings(max_examples=20, deadline=None)
@given(unit=st.sampled_from(UNITS), prefix=st.sampled_from(PREFIXES))
def test_the_photo_remark_and_the_place_are_linear(unit, prefix):
    text = prefix + unit * (RUN // len(unit)) + "x"
    assert timed(is_photo_remark, text) < BOUND
    assert timed(_without, text, "영국") < BOUND


def test_the_photo_remark_keeps_its_meaning():
    assert is_photo_remark("현장 사진은 별도 첨부") and is_photo_remark("첨부한 사진 참고")
    assert is_photo_remark("촬영된 현장 사진") and is_photo_remark("사진 생략")
    assert not is_photo_remark("사진 전시회에서 논의") and not is_photo_remark("첨부 자료에 따르면")
    assert is_photo_remark("사진첨부") and not is_photo_remark("첨부") and not is_photo_remark("사진")


def test_a_date_line_followed_by_40000_spaces_reads_at_once():
    """The issue's trigger: 41 s before the fix."""
    text = ("출장 복명서\n1. 출장개요\n- 기간: 2016.03.17" + " " * 40_000 + "x\n- 장소: 영국" + " " * 40_000
            + "런던\n2. 출장내용\n- 내용\n")
    started = time.perf_counter()
    facts = read_facts(read_structure(text, "report.txt"))
    assert time.perf_counter() - started < 5 and facts.country == "GB"


def test_a_bullet_of_40000_photo_words_is_judged_at_once():
    """PHOTO scanned to the end again from every 사진: quadratic before the fix."""
    started = time.perf_counter()
    assert is_substantive(Item("사진" * 40_000 + "이 없음", 1, "body", 0, 0))
    assert not is_substantive(Item("사진" * 40_000 + "첨부", 1, "body", 0, 0))
    assert time.perf_counter() - started < 5


def test_a_drafted_attribute_with_a_long_run_of_spaces_parses_at_once():
    """parse.ATTRIBUTE's lazy value and COMMENT's leading spaces rescanned a run from each space."""
    note = ("---\nid: x\ntitle: X\n---\n\n## A\n- id: a\n- title_ko: 가" + " " * 40_000 + "나\n"
            "- themes: crowdfunding" + "\t" * 40_000 + "# why\n- kind: observation\n\n> 가 나\n")
    started = time.perf_counter()
    parsed = parse_note(note, "x.md")
    assert time.perf_counter() - started < 5
    finding = parsed.findings[0]
    assert finding.attributes["title_ko"] == "가" + " " * 40_000 + "나"
    assert finding.attributes["themes"] == "crowdfunding"
