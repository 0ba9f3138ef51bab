"""The README and docs/ work as written: their example URLs answer, and the example note builds."""

import html
import re

import pytest

from ingest.build import build

from .conftest import NOTES, ROOT, WILTON, make_datasette

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
URLS = [url for page in PAGES
        for url in re.findall(r"http://127\.0\.0\.1:8001(/[^\s|)>]*)", page.read_text(encoding="utf-8"))]


def test_every_doc_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, page.name


def test_the_readme_has_example_urls():
    assert len(URLS) >= 5
    assert any("_theme=" in u for u in URLS) and any("_search=" in u for u in URLS) and any(".csv" in u for u in URLS)
    # Korean searches, both the table's full-text search and the concept search page (their answers:
    # test_example_url_answers_with_the_findings_it_promises; once tested twice, in test_search.py too).
    assert any(re.search("_search=[가-힣]", u) for u in URLS)
    assert any(u.startswith("/insights/search?q=") for u in URLS)


def corpus_findings() -> dict[str, dict[str, set[str]]]:
    """Each finding of the frozen corpus's note with its themes and regions, read with three
    regular expressions — an oracle independent of ingest's parser and of the database."""
    text = (NOTES / f"{WILTON}.md").read_text(encoding="utf-8")
    findings = {}
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        fields = dict(re.findall(r"^- (id|themes|regions): (.*)$", block, re.M))
        findings[fields["id"]] = {key: {v.strip() for v in fields[key].split(",")} for key in ("themes", "regions")}
    return findings


def selected(query: str) -> set[str]:
    """The findings a theme/region filter selects, by the note's own tags (in the frozen corpus every
    finding under a sub-theme of financing is also tagged financing, so sub-themes add none)."""
    params = dict(re.findall(r"_?(theme|region)=([a-z-]+)", query))
    return {f for f, tags in corpus_findings().items()
            if all(value in tags[key + "s"] for key, value in params.items())}


# Searches and related findings: the findings a reader should get, chosen by reading the note
# (홍보 is promotion, 투자 investment, 클라우드펀딩 crowdfunding, 유럽 Europe; finance and 재원 the
# five financing findings).
FINANCING = {"infrastructure-charges", "retrofit-financing", "private-investment", "citizen-crowdfunding",
             "consensus-before-planning"}
LITERAL = {
    "/insights/findings?_search=finance": FINANCING,
    "/insights/findings?_search=재원": FINANCING,
    "/insights/findings?_search=홍보": {"international-promotion"},
    "/insights/search?q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C%ED%8E%80%EB%94%A9": {"citizen-crowdfunding"},
    "/insights/search?q=투자": {"private-investment", "consensus-before-planning"},
    # 거버넌스 is governance: the three findings tagged governance or citizen-governance.
    "/insights/findings.atom?_search=거버넌스": {"academics-transparency", "citizen-governance", "citizen-crowdfunding"},
}
# Searches whose full answer is long: findings that must be there, and findings that must not.
INCLUDES = {
    "/insights/search?q=유럽": ({"citizen-crowdfunding", "retrofit-financing", "round-table-format"},
                              {"infrastructure-charges", "no-shared-concept"}),
    "/insights/search?q=스마트도시": ({"no-shared-concept", "attractive-label"}, {"citizen-governance"}),
    "/insights/related_findings?finding_id=2016-03-wilton-park-smart-cities/citizen-crowdfunding":
        ({"retrofit-financing", "private-investment"}, {"international-promotion", "round-table-format"}),
}
# Pages that list no finding: words they must show, counted from the note (15 findings, 5 financing).
WORDS = {
    "/": ["시사점 15건", "출처 1건", "재원 조달 · Financing"],
    "/themes": ["재원 조달 · Financing", "5건", "크라우드펀딩 · Crowdfunding"],
    "/insights/sources": ["Disrupting Smart Cities through Technology (Wilton Park forum)", "1 row"],
    "/insights/theme_overview": ["financing 재원 조달 Financing 5 1"],  # theme, ko, en, findings, sources
}


def visible(page: str) -> str:
    """A page's text as a reader sees it: tags and scripts gone, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def findings_in(text: str) -> set[str]:
    return set(re.findall(rf"{WILTON}(?:~2F|/)([a-z-]+)", text)) - {"smart-cities"}


@pytest.mark.parametrize("path", sorted(set(URLS)))
async def test_example_url_answers_with_the_findings_it_promises(ds, path):
    """Each README example answers with the findings it is about, known without the code under test:
    filters by the note's own tags (corpus_findings), searches by literal sets. Breaks on an empty
    page, a page that ignores its filter (all 15 findings), or a search that finds nothing."""
    response = await ds.client.get(path)
    assert response.status_code == 200, path
    base = path.split("?")[0]
    if base.endswith((".xlsx", ".hwpx", ".docx")):
        assert response.content.startswith(b"PK"), path  # a zip: the XLSX and office memo tests read it back
    elif path in WORDS:
        for words in WORDS[path]:
            assert words in visible(response.text), (path, words)
    elif path in INCLUDES:
        must, must_not = INCLUDES[path]
        found = findings_in(response.text)
        assert must <= found and not (must_not & found), (path, found)
    elif path in LITERAL:
        assert findings_in(response.text) == LITERAL[path], path
    elif base.endswith(".ris"):
        assert findings_in(response.text) == {"citizen-crowdfunding"} and "TY  - " in response.text, path
    else:
        assert findings_in(response.text) == selected(path), path


def readme_example_note() -> str:
    """The complete example note of docs/notes.md."""
    section = (ROOT / "docs" / "notes.md").read_text(encoding="utf-8")
    return re.search(r"```markdown\n(.*?)```", section, re.S).group(1)


async def test_a_note_written_from_the_readme_alone_builds_and_appears(notes_dir, tmp_path):
    """Someone else's note — another source, another country — following only docs/notes.md."""
    note = (readme_example_note()
            .replace("id: 2016-03-wilton-park-smart-cities", "id: 2019-06-singapore-mission")
            .replace("country: GB", "country: SG")
            .replace("rule: chatham-house", "rule: none")
            .replace("- regions: europe", "- regions: southeast-asia, europe")
            .replace("…", "and that retrofit financing is where Korea can learn from Europe."))
    (notes_dir / "2019-06-singapore-mission.md").write_text(note, encoding="utf-8")
    db_path = tmp_path / "insights.db"
    build(notes_dir, db_path)
    ds = make_datasette(db_path)
    response = await ds.client.get("/insights/findings.json?_region=southeast-asia&_shape=objects")
    assert [row["id"] for row in response.json()["rows"]] == ["2019-06-singapore-mission/retrofit-financing"]
    page = await ds.client.get("/insights/findings?_theme=financing")
    assert "2019-06-singapore-mission~2Fretrofit-financing" in page.text
