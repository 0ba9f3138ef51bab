"""How a finding is cited: its URL, the site it names, its reference; and what a cell holds of Markdown."""

import pytest
from datasette.utils import tilde_encode

from ingest.memo.citation import SourceRef, cited_site, citation, finding_url
from ingest.memo.references import formatted_reference
from ingest.memo.text import _unwrap_lines, unwrap

WILTON_KO = SourceRef("KRIHS", "윌턴파크 포럼", "출장 복명서", "Forum WP1449", "Steyning, UK", "2016-03-17",
                      "2016-03-20", "chatham-house")


def test_a_citation_is_the_reference_with_the_findings_url_then_the_rule():
    text = citation(WILTON_KO, "http://127.0.0.1:8001/insights/findings/a~2Fb", "ko")
    assert text == ("KRIHS. 2016. 「윌턴파크 포럼」. 출장 복명서. http://127.0.0.1:8001/insights/findings/a~2Fb. "
                    "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음.")


def test_chatham_house_is_named_as_a_rule_and_only_for_its_sources():
    assert "Chatham House Rule: speakers and affiliations are not attributed" in citation(WILTON_KO, None, "en")
    open_source = WILTON_KO._replace(rule="none", end=None)
    assert formatted_reference(open_source, "en") == "KRIHS. 2016. “윌턴파크 포럼.” 출장 복명서."


def test_missing_fields_leave_no_stray_punctuation():
    assert citation(SourceRef(None, "A study", None, None, None, None, None, None), "http://x/y", "en") == \
        "n.d. “A study.” http://x/y."
    assert citation(SourceRef(None, "연구", None, None, None, None, None, None), None, "ko") == "연도 미상. 「연구」."


@pytest.mark.parametrize("finding_id", ["2016-03-wilton-park-smart-cities/retrofit-financing", "a/b.c", "한글/id", "x y/z"])
def test_finding_urls_are_datasettes_row_urls(finding_id):
    assert finding_url("http://h:1/", finding_id) == f"http://h:1/insights/findings/{tilde_encode(finding_id)}"


@pytest.mark.parametrize("public_url, request_url, site", [
    (None, "http://example.test:9000/insights/memo?theme=x", "http://example.test:9000"),
    (None, "https://Insights.Example.org/", "https://insights.example.org"),
    (None, "http://[::1]:8001/insights", "http://[::1]:8001"),
    ("https://insights.krihs.re.kr/", "http://127.0.0.1:8001/insights", "https://insights.krihs.re.kr"),
    ("", "http://example.test:9000/", "http://example.test:9000"),
])
def test_citations_name_public_url_when_set_else_the_serving_address(public_url, request_url, site):
    assert cited_site(public_url, request_url) == site


@pytest.mark.parametrize("request_url", ["http://evil{x}/", "http://a b/", "javascript://x/", "http://x\"y/", "http://%0d%0a/"])
def test_a_forged_host_is_never_cited(request_url):
    with pytest.raises(ValueError, match="public_url"):
        cited_site(None, request_url)


@pytest.mark.parametrize("text, expected", [
    ("One line", "One line"),
    ("a soft\nwrapped line\nof prose", "a soft wrapped line of prose"),
    ("para one\nstill one\n\npara two", "para one still one\n\npara two"),
    ("한국어 문장이\n이어집니다", "한국어 문장이 이어집니다"),
    ("intro\n- item one\n  continued\n- item two", "intro\n- item one continued\n- item two"),
    ("1. first\n2. second", "1. first\n2. second"),
    ("hard break  \nnext", "hard break  \nnext"),
    ("# Heading\ntext\nmore", "# Heading\ntext more"),
    ("> quoted\n> lines", "> quoted\n> lines"),
    ("text\n\n    code\n    more code", "text\n\n    code\n    more code"),
    ("```\nfenced\nlines\n```\nafter\nthis", "```\nfenced\nlines\n```\nafter this"),
    ("| a | b |\n| 1 | 2 |", "| a | b |\n| 1 | 2 |"),
    (None, None),
])
def test_unwrap_joins_soft_line_breaks_only(text, expected):
    assert unwrap(text) == expected


@pytest.mark.parametrize("text", [
    "\na\nb", "a\nb\n", "a\n\n\nb", "a \nb", "a\n b", "a\\\nb", "x\n\ny\nz", "2016 was\nthe year",
    "a\n-b", "가나\n다라\n\n마바", "a\n\t\nb", "a\n \nb",
])
def test_the_fast_path_for_plain_prose_agrees_with_the_line_by_line_one(text):
    assert unwrap(text) == _unwrap_lines(text)


def test_unwrap_agrees_with_itself_on_the_real_notes(db_path):
    import sqlite3
    with sqlite3.connect(db_path) as conn:
        texts = [t for row in conn.execute("select summary, quote from findings") for t in row if t]
    assert texts and all(unwrap(t) == _unwrap_lines(t) for t in texts)
