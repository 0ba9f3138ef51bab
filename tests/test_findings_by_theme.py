"""The `findings_by_theme` canned query follows a theme's sub-themes to every depth."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import build

from .conftest import WILTON, make_datasette

# financing → crowdfunding (in themes.yml) → equity-crowdfunding → property-crowdfunding
DEEPER_THEMES = """
  - slug: equity-crowdfunding
    en: Equity crowdfunding
    ko: 지분형 크라우드펀딩
    description: Citizens buying shares in a project.
    parent: crowdfunding

  - slug: property-crowdfunding
    en: Property crowdfunding
    ko: 부동산 크라우드펀딩
    description: Citizens buying shares in buildings.
    parent: equity-crowdfunding
"""
LEAF_FINDING = f"{WILTON}/citizen-crowdfunding"


@pytest.fixture
def deep_ds(notes_dir: Path, tmp_path: Path):
    vocabulary = notes_dir / "themes.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("\nregions:", f"{DEEPER_THEMES}\nregions:", 1), encoding="utf-8")
    note = notes_dir / f"{WILTON}.md"
    text = note.read_text(encoding="utf-8")
    old = "- themes: financing, crowdfunding, citizen-governance, existing-cities"
    assert old in text
    note.write_text(text.replace(old, "- themes: property-crowdfunding"), encoding="utf-8")
    db_path = tmp_path / "deep" / "insights.db"
    db_path.parent.mkdir()
    build(notes_dir, db_path)
    return make_datasette(db_path)


async def findings_of(ds, theme: str) -> set[str]:
    response = await ds.client.get(f"/insights/findings_by_theme.json?theme={theme}&_shape=objects")
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()["rows"]}


@pytest.mark.parametrize("theme", ["financing", "crowdfunding", "equity-crowdfunding", "property-crowdfunding"])
async def test_findings_by_theme_follows_the_whole_chain_of_sub_themes(deep_ds, theme):
    """The defect: the query followed one `parent` level, while themes.yml allows deeper chains;
    a finding tagged only with a theme three levels down was missing from its ancestors' lists."""
    assert LEAF_FINDING in await findings_of(deep_ds, theme)


async def test_findings_by_theme_does_not_climb_up_the_chain(deep_ds):
    assert await findings_of(deep_ds, "property-crowdfunding") == {LEAF_FINDING}
    assert LEAF_FINDING not in await findings_of(deep_ds, "existing-cities")
    assert await findings_of(deep_ds, "no-such-theme") == set()
