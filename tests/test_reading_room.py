"""The reading room's pages as a researcher reads them, rendered by a real Datasette over a real
insights.db built from the frozen corpus plus a study note of another kind (tests/fixtures/study-note:
not under the Chatham House Rule, English only, no document). The rendered HTML is tested."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape

import pytest
from datasette.app import Datasette

from ingest.build import build

from .conftest import NOTES, ROOT, STUDY_NOTE, WILTON, make_datasette

STUDY = "2024-05-smart-city-indicators-study"
STUDY_FINDING = f"{STUDY}~2Fshared-definition-first"
CROWDFUNDING = f"{WILTON}~2Fcitizen-crowdfunding"
PAGES = {
    "home": "/",
    "list": "/insights/findings",
    "list, filtered": "/insights/findings?_theme=financing&_region=europe",
    "finding": f"/insights/findings/{CROWDFUNDING}",
    "study finding": f"/insights/findings/{STUDY_FINDING}",
    "source": f"/insights/sources/{WILTON}",
    "study source": f"/insights/sources/{STUDY}",
    "themes": "/themes",
    "search": "/insights/search?q=%ED%8E%80%EB%94%A9",
}


@pytest.fixture
def study_db(notes_dir, tmp_path):
    shutil.copytree(STUDY_NOTE, notes_dir, dirs_exist_ok=True)
    build(notes_dir, tmp_path / "insights.db")
    return tmp_path / "insights.db"


@pytest.fixture
def reading_room(study_db) -> Datasette:
    return make_datasette(study_db)


async def html(ds: Datasette, path: str, **kwargs) -> str:
    response = await ds.client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.text[:500])
    return response.text


def text_of(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


async def test_every_page_is_korean_first_with_english_marked(reading_room):
    for name, path in PAGES.items():
        page = await html(reading_room, path)
        assert '<html lang="ko">' in page and 'lang="en"' in page, name
        assert "/static/reading-room.css" in page, name
    css = (await reading_room.client.get("/static/reading-room.css")).text
    assert "word-break: keep-all" in css
    assert '"Noto Sans KR", "Nanum Gothic", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif' in css


async def test_no_page_shows_json_arrays_or_facet_types_as_headings(reading_room):
    for name, path in PAGES.items():
        page = await html(reading_room, path)
        assert '["' not in page and "[&#34;" not in page, name
        assert not re.search(r"\b(\w+) \((theme|region|stakeholder|counted|column)\)", text_of(page)), name


async def test_home_says_what_this_is_and_lists_themes_sources_chart_and_downloads(reading_room):
    page = await html(reading_room, "/")
    assert "지식 베이스" in page and "A knowledge base" in page
    assert re.search(r'<form class="search-box" action="/insights/search"[^>]*>', page) and 'name="q"' in page
    tree = page[page.index('<ul class="tree">'):page.index("</ul>\n<p>")]
    # crowdfunding sits under financing, with its count, linking to its findings
    assert re.search(r'_theme=financing">.*?재원 조달.*?</a> <span class="count">5</span>(?: <a class="feed-link"[^>]*>Atom</a>)?<ul>\s*<li><a href="/insights/findings\?_theme=crowdfunding"', tree, re.S)
    sources = re.findall(r'<li><a href="/insights/sources/([^"]+)"', page)
    assert sources == [STUDY, WILTON]  # newest first
    assert re.search(r'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc"', page)
    assert '<title id="chart-title">' in page and '<table class="figures">' in page
    for label, path in (("Excel CSV", "export.csv"), ("XLSX", "export.xlsx"), ("메모 초안", "memo.md")):
        assert f'href="/insights/findings/-/{path}">{label}</a>' in page


async def test_link_and_internal_tables_are_hidden_yet_queryable(reading_room):
    database_page = await html(reading_room, "/insights")
    for table in ("findings_themes", "findings_regions", "findings_stakeholders", "facet_counts", "file_stats", "build_info",
                  "related_terms", "finding_terms", "concept_names"):
        assert f'href="/insights/{table}"' not in database_page, table
        assert (await reading_room.client.get(f"/insights/{table}.json")).status_code == 200, table
    assert 'href="/insights/findings"' in database_page
    assert 'href="/insights/related_findings"' in database_page  # what the build ranked, to query
    assert (await reading_room.client.get("/insights/related_findings?finding_id__startswith=2024")).status_code == 200


async def test_findings_list_is_cards_with_facets_titled_in_order(reading_room):
    page = await html(reading_room, "/insights/findings")
    assert page.count('<li class="card">') == 16
    titles = re.findall(r'<p class="facet-info-name">\s*<strong>(.*?)<span class="facet-info-total">', page, re.S)
    assert [text_of(t) for t in titles] == ["주제 · Theme", "출처 · Source", "지역 · Region", "이해관계자 · Stakeholder", "유형 · Kind"]
    card = page[page.index(f'href="/insights/findings/{CROWDFUNDING}"'):]
    card = card[:card.index("</li>\n")]
    assert "시민이 주체가 되는 크라우드펀딩의 필요성" in card and "Citizens as investors" in card
    assert '<a class="chip theme" href="/insights/findings?_theme=crowdfunding"><span lang="ko">크라우드펀딩</span>' in card
    assert "관찰" in card and f'href="/insights/sources/{WILTON}"' in card
    assert '<details class="column-notes">' in page
    plain = await html(reading_room, "/insights/findings?_view=table")
    assert '<table class="rows-and-columns">' in plain and '<li class="card">' not in plain
    assert 'href="/insights/findings?_view=table"' in page


async def test_the_list_keeps_search_facets_sort_pagination_and_its_twins(reading_room):
    page = await html(reading_room, "/insights/findings?_search=crowdfunding&_size=1")
    assert page.count('<li class="card">') == 1 and "다음 쪽 · Next page" in page
    data = (await reading_room.client.get("/insights/findings.json?_theme=crowdfunding")).json()
    assert [row[0] for row in data["rows"]] == [f"{WILTON}/citizen-crowdfunding"]
    csv = (await reading_room.client.get("/insights/findings.csv?_theme=crowdfunding")).text
    assert "citizen-crowdfunding" in csv
    sorted_page = await html(reading_room, "/insights/findings?_sort=title")
    ids = re.findall(r'<h3 lang="ko"><a href="/insights/findings/([^"]+)"', sorted_page)
    titles = {row[0]: row[2] for row in (await reading_room.client.get("/insights/findings.json?_size=max")).json()["rows"]}
    assert [titles[i.replace("~2F", "/")] for i in ids] == sorted(titles.values())


async def test_a_finding_page_reads_as_a_finding(reading_room, study_db):
    page = await html(reading_room, f"/insights/findings/{CROWDFUNDING}")
    assert re.search(r'<h1 lang="ko">시민이 주체가 되는 크라우드펀딩의 필요성</h1>', page)
    assert '<a class="chip theme" href="/insights/findings?_theme=crowdfunding">' in page
    assert re.search(r'<h2 id="quote">원문 인용.*?</h2>\s*<blockquote class="quote" aria-labelledby="quote" lang="ko">\s*<p>[^<]*클라우드 펀딩', page, re.S)
    # The summary is the note's Markdown rendered, in its own box: breaks if the box is empty, holds
    # escaped or raw Markdown, or is missing (a later <p> on the page no longer satisfies it).
    summary = re.search(r'<div class="summary" lang="en">(.*?)</div></div>', page, re.S).group(1)
    assert text_of(summary).startswith("Beyond corporate investment, participants raised the need for crowdfunding")
    assert text_of(summary).endswith("residents who fund a project also gain a say in it.")
    assert re.fullmatch(r'\s*<div style="white-space: normal"><p>[^<]+</p>\s*', summary), summary
    study = await html(reading_room, f"/insights/findings/{STUDY_FINDING}")
    study_summary = re.search(r'<div class="summary" lang="en">(.*?)</div></div>', study, re.S).group(1)
    assert "<p>Agree on <strong>what a smart city is</strong> before comparing cities on indicators.</p>" in study_summary
    assert '<span class="badge rule"><span lang="ko">채텀하우스 규칙</span> · <span lang="en">Chatham House Rule</span>' in page
    for extension in ("ris", "bib", "csljson"):
        assert f'href="/insights/findings/{CROWDFUNDING}.{extension}"' in page
    assert "인용 내려받기 · Cite:" in page
    assert 'href="/insights/findings/' + CROWDFUNDING + '.json"' in page
    ko = re.search(r'<p class="citation" id="citation-ko" lang="ko">(.*?)</p>', page, re.S).group(1)
    en = re.search(r'<p class="citation" id="citation-en" lang="en">(.*?)</p>', page, re.S).group(1)
    # Literal, as a reader would check them by hand (tests/test_references.py holds the rules).
    assert unescape(ko) == ("국토연구원. 2016. 「Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석」. "
                            f"해외출장 복명서. http://localhost/insights/findings/{CROWDFUNDING}. "
                            "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음.")
    assert unescape(en).startswith("Korea Research Institute for Human Settlements (KRIHS). 2016. “Disrupting Smart Cities")
    assert "Chatham House Rule: speakers and affiliations are not attributed" in unescape(en)
    assert 'data-copy-target="citation-ko"' in page and " hidden " in page  # the copy button waits for JS


async def test_related_findings_share_themes_and_come_from_other_sources_first(reading_room):
    page = await html(reading_room, f"/insights/findings/{WILTON}~2Fperspectives-vary-by-field")
    related = page[page.index("관련 시사점"):]
    ids = re.findall(r'<h3 lang="ko"><a href="/insights/findings/([^"]+)"', related)
    assert 1 <= len(ids) <= 5
    assert ids[0] == STUDY_FINDING  # the one other source sharing concept-and-standards
    study = await html(reading_room, f"/insights/findings/{STUDY_FINDING}")
    assert all(i.startswith(WILTON) for i in re.findall(r'<h3 lang="ko"><a href="/insights/findings/([^"]+)"',
                                                       study[study.index("관련 시사점"):]))


async def test_citations_use_the_served_address_when_no_public_url_is_set(study_db):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    assert "public_url" not in metadata["plugins"].get("insights", {})  # as shipped: unset
    metadata["plugins"]["insights"] = {"allowed_hosts": ["insights.example.org"]}  # plugins/security.py
    ds = make_datasette(study_db, metadata=metadata)
    page = await html(ds, f"/insights/findings/{CROWDFUNDING}", headers={"host": "insights.example.org"})
    assert f"http://insights.example.org/insights/findings/{CROWDFUNDING}." in page  # the URL, then the rule
    assert "127.0.0.1" not in page


async def test_a_study_note_renders_without_a_rule_badge_or_empty_labels(reading_room):
    for path in (f"/insights/findings/{STUDY_FINDING}", f"/insights/sources/{STUDY}"):
        page = (await html(reading_room, path)).split("관련 시사점")[0]  # related cards are other findings
        assert "badge rule" not in page and "채텀하우스" not in page, path
        assert not re.search(r"<dd>\s*(None)?\s*</dd>", page), path
        for label in ("행사 · Event", "장소 · Place", "지역 · Regions", "이해관계자 · Stakeholders", "원문 문서"):
            assert label not in page, (path, label)
        assert "None" not in text_of(page), path
    page = await html(reading_room, f"/insights/findings/{STUDY_FINDING}")
    assert '<blockquote class="quote" aria-labelledby="quote" lang="en">' in page
    assert ("Example Urban Research Centre. 2024. “Comparing smart-city indicator frameworks (desk study).” Study. "
            f"http://localhost/insights/findings/{STUDY_FINDING}.") in unescape(page)  # no rule sentence: rule none
    assert ("Example Urban Research Centre. 2024. 「Comparing smart-city indicator frameworks (desk study)」. 연구보고서. "
            f"http://localhost/insights/findings/{STUDY_FINDING}.") in unescape(page)


async def test_a_source_page_lists_its_findings_in_note_order(reading_room, study_db):
    page = await html(reading_room, f"/insights/sources/{WILTON}")
    ids = re.findall(r'<h3 lang="ko"><a href="/insights/findings/([^"]+)"', page)
    # The note's own order, read from the frozen note with a regex (not from the database under test).
    in_note = re.findall(r"^- id: (\S+)$", (NOTES / f"{WILTON}.md").read_text(encoding="utf-8"), re.M)
    assert ids == [f"{WILTON}~2F{finding}" for finding in in_note] and len(ids) == 15
    assert "채텀하우스 규칙" in page and "출장 복명서 · Trip report" in page


async def test_the_themes_page_is_the_vocabulary_with_counts_and_crosswalks(reading_room):
    page = await html(reading_room, "/themes")
    entry = page[page.index('id="theme-financing"'):page.index('id="theme-crowdfunding"')]
    assert "재원 조달" in entry and "Financing" in entry and "5건" in entry and "하위 주제 포함 5건" in entry
    assert "ISO 37120: <span lang=\"en\">Finance</span>" in entry and "Smart Economy" in entry
    assert "스마트도시법 시행령 서비스 분야: 행정" in page
    regions = page[page.index("지역 · <span"):page.index("이해관계자 · <span")]
    assert re.search(r'_region=europe"><span lang="ko">유럽</span> · <span lang="en">Europe</span></a> <span class="count">7건', regions)
    assert "_stakeholder=citizens" in page[page.index("이해관계자 · <span"):]


async def test_the_search_page_ranks_cards_with_snippets(reading_room):
    page = await html(reading_room, "/insights/search?q=%ED%8E%80%EB%94%A9")
    cards = re.findall(r'<li class="card">.*?</li>\n', page, re.S)
    assert cards and f'href="/insights/findings/{CROWDFUNDING}"' in cards[0]
    assert "<mark>" in cards[0] and 'value="펀딩"' in page


async def test_the_home_page_follows_a_build_that_commits_under_the_running_server(notes_dir, db_path):
    """The overview is read once per build: a new build's source and counts appear on the next request."""
    ds = make_datasette(db_path)
    before = await html(ds, "/")
    assert STUDY not in before and "시사점 15건" in before
    shutil.copytree(STUDY_NOTE, notes_dir, dirs_exist_ok=True)
    build(notes_dir, db_path)
    after = await html(ds, "/")
    assert f'href="/insights/sources/{STUDY}"' in after and "시사점 16건" in after
