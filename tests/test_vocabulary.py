from pathlib import Path

import pytest

from ingest.notes.errors import BuildRefused
from ingest.notes.vocabulary import load_vocabulary

from .conftest import NOTES

REQUIRED_THEMES = {
    "financing", "crowdfunding", "private-investment", "infrastructure-charges", "existing-cities",
    "new-cities", "citizen-governance", "international-promotion", "international-cooperation",
    "concept-and-standards", "transparency", "security", "sustainability", "market-and-industry", "strategy",
}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(NOTES / "themes.yml")


def test_covers_the_themes_of_the_first_source(vocabulary):
    assert REQUIRED_THEMES <= set(vocabulary.themes)


def test_every_theme_is_bilingual_and_described(vocabulary):
    for term in vocabulary.themes.values():
        assert term.en and term.ko and term.description, term.slug
        assert any("\uac00" <= ch <= "\ud7a3" for ch in term.ko), f"{term.slug}: ko label is not Korean"


def test_sub_themes_point_at_existing_parents(vocabulary):
    assert vocabulary.themes["crowdfunding"].parent == "financing"
    assert vocabulary.themes["citizen-governance"].parent == "governance"
    for term in vocabulary.themes.values():
        assert term.parent is None or term.parent in vocabulary.themes


def test_crosswalks_where_they_fit(vocabulary):
    assert vocabulary.themes["financing"].iso37120 == "Finance"
    assert vocabulary.themes["citizen-governance"].giffinger == "Smart Governance"
    assert vocabulary.themes["security"].service_field == "방범·방재"


def test_controlled_lists_beside_themes(vocabulary):
    assert set(vocabulary.kinds) == {"observation", "implication", "recommendation", "question"}
    assert {"europe", "korea", "global"} <= set(vocabulary.regions)
    assert {"citizens", "city-government", "private-sector"} <= set(vocabulary.stakeholders)
    assert "trip-report" in vocabulary.source_types


@pytest.mark.parametrize("typo, expected", [
    ("crowdfundng", "crowdfunding"),
    ("Crowdfunding", "crowdfunding"),
    ("크라우드펀딩", "crowdfunding"),
    ("existing cities", "existing-cities"),
])
def test_suggests_the_closest_theme(vocabulary, typo, expected):
    assert vocabulary.suggest("themes", typo) == expected


def test_duplicate_slug_and_unknown_parent_are_errors(tmp_path: Path):
    path = tmp_path / "themes.yml"
    path.write_text(
        "themes:\n"
        "  - {slug: a, en: A, ko: 가, description: x}\n"
        "  - {slug: a, en: A2, ko: 나, description: y}\n"
        "  - {slug: b, en: B, ko: 다, parent: nowhere}\n"
        "regions: [{slug: r, en: R, ko: 라}]\n"
        "stakeholders: [{slug: s, en: S, ko: 마}]\n"
        "kinds: [{slug: k, en: K, ko: 바}]\n"
        "source_types: [{slug: t, en: T, ko: 사}]\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith("themes.yml:3:") and "duplicate themes slug 'a'" in m for m in messages)
    assert any(m.startswith("themes.yml:4:") and "unknown parent 'nowhere'" in m for m in messages)


def vocabulary_file(tmp_path: Path, themes: str) -> Path:
    path = tmp_path / "themes.yml"
    path.write_text(
        f"themes:\n{themes}"
        "regions: [{slug: r, en: R, ko: 라}]\n"
        "stakeholders: [{slug: s, en: S, ko: 마}]\n"
        "kinds: [{slug: k, en: K, ko: 바}]\n"
        "source_types: [{slug: t, en: T, ko: 사}]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("slug", [r'"crowdfunding\n"', r'"crowdfunding\nfinancing"', r'"\ncrowdfunding"'])
def test_newline_in_a_tag_value_is_refused(tmp_path: Path, slug):
    """A slug is checked whole: '$' would let "crowdfunding\\n" through to URLs and download names."""
    path = vocabulary_file(tmp_path, f"  - {{slug: {slug}, en: Crowdfunding, ko: 크라우드펀딩}}\n")
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    [problem] = refused.value.problems
    assert str(problem).startswith("themes.yml:2: error: slug ") and "must be lowercase words joined by '-'" in str(problem)


def test_a_cycle_of_parents_is_refused(tmp_path: Path):
    """findings_by_theme follows parents to any depth: a chain that comes back to itself is an error."""
    path = vocabulary_file(tmp_path,
                           "  - {slug: a, en: A, ko: 가, parent: c}\n"
                           "  - {slug: b, en: B, ko: 나, parent: a}\n"
                           "  - {slug: c, en: C, ko: 다, parent: b}\n"
                           "  - {slug: d, en: D, ko: 라, parent: d}\n"
                           "  - {slug: e, en: E, ko: 마, parent: a}\n")
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    assert [str(p) for p in refused.value.problems] == [
        "themes.yml:2: error: themes are their own ancestors: a → c → b → a "
        "(a theme's parent must be a broader theme: remove one 'parent' of the cycle)",
        "themes.yml:5: error: themes are their own ancestors: d → d "
        "(a theme's parent must be a broader theme: remove one 'parent' of the cycle)",
    ]


def test_a_three_level_chain_of_parents_is_allowed(tmp_path: Path):
    path = vocabulary_file(tmp_path,
                           "  - {slug: a, en: A, ko: 가}\n"
                           "  - {slug: b, en: B, ko: 나, parent: a}\n"
                           "  - {slug: c, en: C, ko: 다, parent: b}\n")
    assert load_vocabulary(path, "themes.yml").themes["c"].parent == "b"
