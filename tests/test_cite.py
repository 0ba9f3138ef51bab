"""Cite downloads of the findings table (RIS, BibTeX, CSL-JSON), and the site every citation names:
``public_url`` when metadata.json sets it, else the address the page was served from."""

import json

import pytest
import rispy
from pybtex.database import parse_string

from ingest.build import build
from ingest.memo.export import COLUMNS

from .conftest import ROOT, WILTON, make_datasette
from .exports import csv_rows

SERVED_AT = "http://example.test:9000"
HOST = {"host": "example.test:9000"}
PUBLIC_URL = "https://insights.krihs.example"
CROWDFUNDING = f"{WILTON}/citizen-crowdfunding"
ROW = f"/insights/findings/{WILTON}~2Fcitizen-crowdfunding"
CITATION, URL = ([c.key for c in COLUMNS].index(key) for key in ("citation", "url"))
CONTENT_TYPES = {
    "ris": "application/x-research-info-systems; charset=utf-8",
    "bib": "application/x-bibtex; charset=utf-8",
    "csljson": "application/vnd.citationstyles.csl+json",
}


@pytest.fixture
def ds(db_path):
    """As conftest's, with every Host let through (plugins/security.py): these tests name the
    site served as example.test, and one sends a forged Host to the citing code itself."""
    return make_datasette(db_path, plugin_config={"insights": {"allowed_hosts": ["*"]}})


# The seed finding's reference, written out by hand from the note's front matter (not by csl_item,
# the code under test): organization_ko/organization, title_ko/title, document_type_ko/type, event,
# place, start and end, and the Chatham House Rule sentence of tests/test_references.py.
EVENT = {
    "event": 'Wilton Park forum WP1449, "Disrupting cities through technology"',
    "event-title": 'Wilton Park forum WP1449, "Disrupting cities through technology"',
    "event-place": "Wiston House, Steyning, United Kingdom",
    "URL": f"{SERVED_AT}{ROW}",
    "issued": {"date-parts": [[2016, 3, 17]]},
    "event-date": {"date-parts": [[2016, 3, 17], [2016, 3, 20]]},
}
SEED_ITEM = {
    "ko": {"id": CROWDFUNDING, "type": "report", "language": "ko", "author": [{"literal": "국토연구원"}],
           "title": "Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석",
           "genre": "해외출장 복명서", **EVENT, "note": "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음"},
    "en": {"id": CROWDFUNDING, "type": "report", "language": "en",
           "author": [{"literal": "Korea Research Institute for Human Settlements (KRIHS)"}],
           "title": "Disrupting Smart Cities through Technology (Wilton Park forum)",
           "genre": "Trip report", **EVENT, "note": "Chatham House Rule: speakers and affiliations are not attributed"},
}


@pytest.mark.parametrize("extension", CONTENT_TYPES)
async def test_a_findings_page_downloads_its_reference(ds, db_path, extension):
    response = await ds.client.get(f"{ROW}.{extension}", headers=HOST)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CONTENT_TYPES[extension]
    assert response.headers["content-disposition"] == \
        f'attachment; filename="{WILTON}-citizen-crowdfunding.{extension}"'
    expected = SEED_ITEM["ko"]
    if extension == "csljson":
        assert response.json() == [expected]
    elif extension == "ris":
        [record] = rispy.loads(response.content.decode("utf-8"))
        assert (record["authors"], record["title"], record["urls"]) == \
            (["국토연구원"], expected["title"], [f"{SERVED_AT}{ROW}"])
    else:
        [(key, entry)] = parse_string(response.content.decode("utf-8"), "bibtex").entries.items()
        assert key == f"{WILTON}:citizen-crowdfunding"
        assert (entry.fields["title"], entry.fields["url"]) == (expected["title"], f"{SERVED_AT}{ROW}")


async def test_english_items_with_lang_en(ds, db_path):
    response = await ds.client.get(f"{ROW}.csljson?_lang=en", headers=HOST)
    assert response.json() == [SEED_ITEM["en"]]
    assert (await ds.client.get(f"{ROW}.ris?_lang=fr")).status_code == 400


@pytest.mark.parametrize("query", ["_theme=crowdfunding", "kind=recommendation", "_search=governance", "_size=3"])
async def test_a_table_page_downloads_the_references_of_its_findings(ds, query):
    expected = [row["id"] for row in (await ds.client.get(f"/insights/findings.json?{query}&_shape=objects")).json()["rows"]]
    response = await ds.client.get(f"/insights/findings.csljson?{query}")
    assert response.headers["content-disposition"] == 'attachment; filename="findings.csljson"'
    assert [item["id"] for item in response.json()] == expected and expected
    records = rispy.loads((await ds.client.get(f"/insights/findings.ris?{query}")).content.decode("utf-8"))
    assert [r["id"] for r in records] == expected


async def test_cite_downloads_are_offered_for_findings_only(ds):
    findings = (await ds.client.get("/insights/findings")).text
    assert all(f'href="/insights/findings.{ext}?' in findings for ext in CONTENT_TYPES)
    sources = (await ds.client.get("/insights/sources")).text
    assert not any(f".{ext}" in sources for ext in CONTENT_TYPES)
    for path in ("/insights/sources.ris", f"/insights/sources/{WILTON}.bib", "/insights/memo.csljson", "/insights/themes.ris"):
        assert (await ds.client.get(path)).status_code == 404, path


async def cited_urls(ds, headers=None) -> dict[str, str]:
    """The URL of the crowdfunding finding as each place that cites it gives it."""
    async def get(path):
        response = await ds.client.get(path, headers=headers or {})
        assert response.status_code == 200, response.text
        return response

    [canned] = (await get("/insights/memo.json?theme=crowdfunding&_shape=array")).json()
    _, [exported] = csv_rows((await get("/insights/findings/-/export.csv?_theme=crowdfunding")).content)
    _, [exported_canned] = csv_rows((await get("/insights/memo/-/export.csv?theme=crowdfunding")).content)
    memo = (await get("/insights/findings/-/memo.md?_theme=crowdfunding")).text
    [item] = (await get(f"{ROW}.csljson")).json()
    return {"canned url": canned["url"], "canned citation": url_in(canned["citation"]), "export": exported[URL],
            "export citation": url_in(exported[CITATION]), "canned export": exported_canned[URL], "memo": url_in(memo),
            "cite": item["URL"]}


def url_in(text: str) -> str:
    """The finding's URL in a citation (the style ends it with a period, as a sentence)."""
    [url] = {word.rstrip(".") for word in text.split() if ROW in word}
    return url


async def test_without_public_url_citations_name_the_address_served_from(ds):
    assert set((await cited_urls(ds, HOST)).values()) == {f"{SERVED_AT}{ROW}"}


async def test_with_public_url_citations_name_it(db_path):
    ds = make_datasette(db_path, plugin_config={"insights": {"public_url": PUBLIC_URL + "/",
                                                                 "allowed_hosts": ["example.test"]}})
    assert set((await cited_urls(ds, HOST)).values()) == {f"{PUBLIC_URL}{ROW}"}


async def test_a_forged_host_is_never_cited(ds):
    assert set((await cited_urls(ds, {"host": "evil.example\"><b>"})).values()) == {ROW}


async def test_the_memo_query_takes_the_site_as_a_bound_parameter(ds):
    page = (await ds.client.get("/insights/memo?theme=crowdfunding", headers=HOST)).text
    assert "finding_url(f.id, :_insights_public_url)" in page.replace("&#34;", '"')
    assert 'name="_insights_public_url"' not in page  # a magic parameter: no form field, no user value
    data = (await ds.client.get("/insights/memo.json?theme=crowdfunding&_insights_public_url=http://evil.example",
                                headers=HOST)).json()
    assert SERVED_AT in json.dumps(data) and "evil.example" not in json.dumps(data["rows"])


async def test_a_hostile_note_downloads_as_valid_files(notes_dir, tmp_path):
    """Raw HTML, quotes and TeX specials from tests/fixtures/hostile-notes, plus control characters."""
    hostile = (ROOT / "tests" / "fixtures" / "hostile-notes" / "2020-01-hostile-payloads.md").read_text(encoding="utf-8")
    hostile = hostile.replace("type: study", 'type: study\ndocument_type_ko: "보고서 {100%} & \\\\end\\t\\x07"')
    (notes_dir / "2020-01-hostile-payloads.md").write_text(hostile, encoding="utf-8")
    build(notes_dir, tmp_path / "insights.db")
    ds = make_datasette(tmp_path / "insights.db")
    row = "/insights/findings/2020-01-hostile-payloads~2Fhostile-finding"
    responses = {ext: await ds.client.get(f"{row}.{ext}") for ext in CONTENT_TYPES}
    assert {ext: r.status_code for ext, r in responses.items()} == dict.fromkeys(CONTENT_TYPES, 200)
    assert all(r.headers["content-disposition"] == f'attachment; filename="2020-01-hostile-payloads-hostile-finding.{ext}"'
               for ext, r in responses.items())
    [item] = responses["csljson"].json()
    assert item["genre"] == "보고서 {100%} & \\end"  # the tab and the bell became one space, then trimmed
    assert item["author"] == [{"literal": "<iframe src=\"javascript:window.top.__xss='organization'\"></iframe>KRIHS"}]
    [record] = rispy.loads(responses["ris"].content.decode("utf-8"))
    assert (record["type_of_work"], record["authors"]) == (item["genre"], [item["author"][0]["literal"]])
    [entry] = parse_string(responses["bib"].content.decode("utf-8"), "bibtex").entries.values()
    assert entry.fields["type"] == r"보고서 \textbraceleft{}100\%\textbraceright{} \& \textbackslash{}end"
