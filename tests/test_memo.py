"""The memo draft: every selected finding under each of its themes, with its citation."""

import json
import re
import sqlite3
import subprocess
import sys

import pytest

from ingest.build import build

from .conftest import ROOT, WILTON, make_datasette
from .exports import view_rows


def sections(memo: str) -> dict[str, str]:
    """``## heading`` → the text under it."""
    parts = re.split(r"^## (.+)$", memo, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def bullets(section: str) -> list[str]:
    return [b for b in re.split(r"^- ", section, flags=re.M)[1:]]


def theme_labels(db_path, lang="ko") -> dict[str, str]:
    with sqlite3.connect(db_path) as conn:
        return {slug: (f"{ko} · {en}" if lang == "ko" else f"{en} · {ko}")
                for slug, ko, en in conn.execute("select id, ko, en from themes")}


async def memo_of(ds, path: str) -> str:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.parametrize("query", ["_theme=financing", "_theme=crowdfunding", "kind=recommendation",
                                   "_search=governance", "_search=클라우드펀딩", "_theme=financing&_region=europe", ""])
async def test_memo_holds_every_selected_finding_under_each_of_its_themes(ds, db_path, query):
    expected = await view_rows(ds, "/insights/findings", query)
    memo = await memo_of(ds, f"/insights/findings/-/memo.md?{query}")
    by_heading, labels = sections(memo), theme_labels(db_path)
    for row in expected:
        url = f"http://localhost/insights/findings/{row['id'].replace('/', '~2F')}"  # the test client's address
        for theme in json.loads(row["themes"]):
            [bullet] = [b for b in bullets(by_heading[labels[theme]]) if b.startswith(f"**{row['title_ko']}**")]
            assert "출처 [1]: 국토연구원. 2016. 「Wilton Park Forum" in bullet
            assert f"{url}. 채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음." in bullet
            assert row["quote"].split("\n")[0][:30] in bullet
    cited = sum(len(bullets(text)) for heading, text in by_heading.items() if heading != "참고문헌 · References")
    assert cited == sum(len(json.loads(r["themes"])) for r in expected)
    assert f"- 시사점 · Findings: {len(expected)}" in memo


async def test_memo_ends_with_the_references(ds):
    memo = await memo_of(ds, "/insights/findings/-/memo.md?_theme=crowdfunding")
    references = sections(memo)["참고문헌 · References"]
    assert references.strip().startswith("1. 국토연구원. 2016. 「Wilton Park Forum 「Disrupting Smart Cities")
    assert "http" not in references  # sources, not findings


async def test_memo_download_and_english_first(ds):
    response = await ds.client.get("/insights/findings/-/memo.md?_theme=crowdfunding&_lang=en")
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="findings-crowdfunding-memo-en.md"'
    memo = response.text
    assert memo.startswith("# Policy memo draft · 정책 메모 초안")
    assert list(sections(memo))[0] == "Crowdfunding · 크라우드펀딩"  # the theme filtered by comes first
    assert "**Citizens as investors: crowdfunding smart-city projects**" in memo
    assert "Chatham House Rule: speakers and affiliations are not attributed" in memo


async def test_memo_of_the_memo_canned_query(ds):
    expected = await view_rows(ds, "/insights/memo", "theme=crowdfunding")
    memo = await memo_of(ds, "/insights/memo/-/memo.md?theme=crowdfunding")
    assert list(sections(memo))[0] == "크라우드펀딩 · Crowdfunding"
    assert [r["title_ko"] for r in expected] == ["시민이 주체가 되는 크라우드펀딩의 필요성"]
    assert "**시민이 주체가 되는 크라우드펀딩의 필요성**" in sections(memo)["크라우드펀딩 · Crowdfunding"]


async def test_memo_page_renders_the_markdown_sanitised(notes_dir, tmp_path, wilton_note):
    summary = "Views on smart cities varied to the extreme"
    (notes_dir / f"{WILTON}.md").write_text(
        wilton_note.replace(summary, '<script>alert("memo")</script><img src=x onerror=alert(1)> ' + summary),
        encoding="utf-8")
    build(notes_dir, tmp_path / "insights.db")
    ds = make_datasette(tmp_path / "insights.db")
    page = await memo_of(ds, "/insights/findings/-/memo?_theme=concept-and-standards")
    assert "<h2>개념·표준 · Concept and standards</h2>" in page
    assert "<blockquote>" in page and "<strong>" in page
    assert "<script>alert" not in page and "onerror" not in page
    assert 'href="/insights/findings/-/memo.md?_theme=concept-and-standards"' in page
    assert 'href="/insights/findings?_theme=concept-and-standards"' in page


def run_memo(*args):
    return subprocess.run([sys.executable, "-m", "ingest", "memo", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_memo_for_a_theme(db_path):
    result = run_memo("--db", str(db_path), "--theme", "crowdfunding", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    memo = result.stdout
    assert memo.startswith("# 정책 메모 초안 · Policy memo draft")
    assert list(sections(memo))[0] == "크라우드펀딩 · Crowdfunding"
    [bullet] = bullets(sections(memo)["크라우드펀딩 · Crowdfunding"])
    assert bullet.startswith("**시민이 주체가 되는 크라우드펀딩의 필요성** (관찰)")
    # No request, no public_url: the CLI cites the address `make serve` serves (or --public-url).
    assert f"http://127.0.0.1:8001/insights/findings/{WILTON}~2Fcitizen-crowdfunding. 채텀하우스" in bullet


async def test_cli_and_page_write_the_same_memo(ds, db_path):
    cli = run_memo("--db", str(db_path), "--theme", "financing", "--region", "europe", "--lang", "en",
                   "--public-url", "http://localhost").stdout  # the test client's address
    page = await memo_of(ds, "/insights/findings/-/memo.md?_theme=financing&_region=europe&_lang=en")
    assert cli.split("\n## ", 1)[1] == page.split("\n## ", 1)[1]  # all but the header lines


def test_cli_memo_rejects_an_unknown_language(db_path):
    result = run_memo("--db", str(db_path), "--lang", "fr")
    assert result.returncode == 2 and "fr" in result.stderr
