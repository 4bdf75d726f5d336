"""The HTML report (`--format html`): structure, escaping, self-containedness, reproducibility,
lazy imports, --output, and a real browser drawing it (headless Chromium, when installed)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from evaluator.analysis.sensitivity import analyse
from evaluator.api import compare_files, load_criteria
from evaluator.render import percent
from evaluator.render.html import (
    HEAT,
    PALETTE,
    _luminance,
    contribution_chart,
    generated_at,
    heat,
    ink,
    render_report,
)
from evaluator.render.sensitivity import discount_sentence, headline
from evaluator.render.text.credibility import leaf_factor, partly_discounted
from evaluator.render.text.evidence import explanation
from evaluator.scoring.engine import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT, Run
from tests.helpers import criteria_from, imported_after, unstaged_criteria
from tests.test_sensitivity import TWO, many_offers

RunCli = Callable[..., Run]
EPOCH = "1748736000"  # 2025-06-01 00:00:00 UTC
SAMPLES = ["south-korea", "italy", "turkiye", "direct-offer"]
# In rank order, in one weighted evaluation of every offer (the default criteria without
# their stages): turkiye fails technical_compliance, direct-offer advance_payment_guaranteed.
FOUR = ["south-korea", "italy", "direct-offer", "turkiye"]
VOID = {"meta", "br", "col", "wbr", "link", "img", "input", "hr", "source", "area", "base"}


# --- a small DOM, from the standard library's parser ---------------------------------------


@dataclass
class Node:
    """An element: its tag, attributes, children and the text directly inside it."""

    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This element and every element under it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Elements with this tag whose attributes contain the given words."""
        return [
            n
            for n in self.iter(tag)
            if all(
                value in n.attrs.get(name.rstrip("_"), "").split() for name, value in attrs.items()
            )
        ]

    def find(self, tag: str, **attrs: str) -> Node:
        """The first such element (the test fails if there is none)."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    @property
    def raw(self) -> str:
        """All the text inside, as written."""
        return "".join(p if isinstance(p, str) else p.raw for p in self.parts)

    @property
    def text(self) -> str:
        """All the text inside, whitespace collapsed."""
        return " ".join(self.raw.split())


class TreeBuilder(HTMLParser):
    """Builds `Node`s; SVG's self-closed elements and HTML's void elements close at once."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(data)


def parse(html: str) -> tuple[Node, str]:
    """The document's tree and its doctype."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.doctype


def section(doc: Node, ident: str) -> Node:
    """The <section> with this id."""
    found = [n for n in doc.iter("section") if n.attrs.get("id") == ident]
    assert found, f"no section #{ident}"
    return found[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def report(run_cli: RunCli, fixed_date: None) -> str:
    result = run_cli("compare", "--format", "html")
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


@pytest.fixture
def four(run_cli: RunCli, fixed_date: None, tmp_path: Path) -> str:
    """The report of a comparison without stages (the default criteria without them): a
    ranking of the four samples, two of them ineligible. For what is not about stages."""
    criteria = unstaged_criteria(tmp_path / "criteria")
    result = run_cli("compare", "--format", "html", "--criteria", str(criteria))
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


# --- structure -----------------------------------------------------------------------------


def test_the_report_is_one_html_document_with_a_title_and_a_language(report: str) -> None:
    doc, doctype = parse(report)
    assert doctype.lower() == "doctype html"
    html = doc.find("html")
    assert html.attrs["lang"] == "en"
    assert doc.find("title").text == (
        "Comparison of proposals · G2G defence procurement — the minister's criteria and the "
        "DIPN (March 2026)"
    )
    assert doc.find("meta", charset="utf-8")
    assert [h.text for h in doc.iter("h1")] == ["Comparison of proposals"]
    # The default criteria are a tender in stages (#18): the stages come first.
    assert [h.text for h in doc.find("main").find_all("h2")] == [
        "The tender, stage by stage",
        "Recommendation",
        "Ranking",
        "What makes up the totals",
        "Criterion by criterion",
        "Eligibility gates",
        "Technical compliance",
        "Score cards",
        "Audit trail",
    ]
    # The contents list links to each of them (the stages' link was missing).
    assert [a.attrs["href"] for a in doc.find("nav").iter("a")] == [
        "#stages",
        "#recommendation",
        "#ranking",
        "#contributions",
        "#criteria",
        "#gates",
        "#compliance",
        "#cards",
        "#audit",
    ]


def test_the_recommendation_names_the_winner_and_why_others_are_out(report: str) -> None:
    doc, _ = parse(report)
    summary = section(doc, "recommendation")
    # Without the panel's ratings, the recommendation stands on a caveat: amber, with why.
    verdict = summary.find("div", class_="verdict")
    assert verdict.attrs["class"] == "verdict verdict-caveat"
    # Among the two offers that passed every stage: south-korea 0.20 × 49.83 + 0.24 ×
    # 67.64 + 0.24 × 39.6 + 0.16 × 88.7 + 0.16 × 39.5 ≈ 56.2 (the stages' and the
    # criteria's scores as the text table shows them), italy 2.28 behind.
    assert summary.find("p", class_="lead").text == (
        "Recommended, with caveats: south-korea (South Korea), total 56.20 of 100, 2.28 ahead "
        "of italy."
    )
    assert [li.text for li in verdict.find("ul", class_="caveats").iter("li")] == [
        "No panel ratings (no --panel): technical_merit, sincerity scores 0 for every proposal."
    ]
    # Why the others are out is said stage by stage, before: Türkiye's mandatory range is
    # not met (its technical stage), the direct offer's advance payment has no guarantee
    # (its financial stage); Türkiye's price is never opened.
    stages = section(doc, "stages")
    out = [li.text for li in stages.iter("li") if " fails " in li.text]
    assert out == [
        "turkiye fails (22.50): Every mandatory requirement of the user met "
        "(compliance.mandatory_met = true; it has false); CSS-R01 (mandatory): non-compliant, "
        "vol. 2, § 3.1, p. 14; stage score 22.50, below the pass mark; technical_merit "
        "(panel): no member rated it, scored 0.",
        "direct-offer fails (49.01): Advance payment covered by a guarantee "
        "(pricing.advance_payment_guarantee = true, when pricing.advance_payment_pct > 0; "
        "it has false).",
    ]
    assert "Financial envelope not opened (price shown nowhere): turkiye." in stages.text


def _verdict(run_cli: RunCli, *args: str) -> tuple[str, list[str], str]:
    """The recommendation box's class and caveats, and the masthead's line of figures."""
    result = run_cli("compare", "--format", "html", *args)
    doc, _ = parse(result.out)
    verdict = section(doc, "recommendation").find("div", class_="verdict")
    caveats = verdict.find_all("ul", class_="caveats")
    meta = next(p for p in doc.iter("p") if p.attrs.get("class") == "meta")
    return (
        verdict.attrs["class"],
        [li.text for ul in caveats for li in ul.iter("li")],
        meta.text.split(" · ")[0],
    )


def test_a_sound_recommendation_is_green(run_cli: RunCli, fixed_date: None, tmp_path: Path) -> None:
    # One evaluation of every file (the default criteria without stages): the masthead
    # counts the files. (A staged report's masthead counts only the offers of its final
    # evaluation, "2 proposals": reported to the lead, not asserted here.)
    criteria = str(unstaged_criteria(tmp_path))
    assert _verdict(run_cli, "--panel", "panel", "--criteria", criteria) == (
        "verdict verdict-ok",
        [],
        "4 files, all evaluated",
    )


def test_methods_that_disagree_on_the_winner_make_it_amber(
    run_cli: RunCli, fixed_date: None, tmp_path: Path
) -> None:
    # Three offers of which the weighted sum and TOPSIS put different ones first.
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(
        """\
id: t
currency: MYR
criteria:
  - {id: a, weight: 1, field: g2g.delivery_months, rule: {type: linear, best: 0, worst: 100}}
  - {id: b, weight: 1, field: collaboration.partnership_years,
     rule: {type: linear, best: 100, worst: 0}}
""",
        encoding="utf-8",
    )
    offers = tmp_path / "offers"
    offers.mkdir()
    for name, months, years in (("x", 40, 3), ("y", 2, 3), ("z", 83, 69)):
        (offers / f"{name}.yaml").write_text(
            f"proposal: {{country: {name.upper()}}}\ng2g: {{delivery_months: {months}}}\n"
            f"collaboration: {{partnership_years: {years}}}\n",
            encoding="utf-8",
        )
    kind, caveats, _ = _verdict(
        run_cli, str(offers), "--criteria", str(criteria), "--method", "all"
    )
    assert kind == "verdict verdict-caveat"
    assert caveats == ["The methods disagree on the winner: wsm y; topsis z; promethee y."]


def test_files_that_could_not_be_read_are_counted_in_the_masthead(
    run_cli: RunCli, fixed_date: None, tmp_path: Path
) -> None:
    for path in PROPOSALS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    shutil.copytree(PROPOSALS / "turkiye", tmp_path / "turkiye")  # two envelopes: one offer
    (tmp_path / "broken.yaml").write_text("proposal: [\n", encoding="utf-8")
    # One evaluation of every file (the default criteria without stages), as above.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    kind, caveats, figures = _verdict(
        run_cli, str(tmp_path), "--panel", "panel", "--criteria", criteria
    )
    assert (kind, figures) == ("verdict verdict-caveat", "5 files, 4 evaluated, 1 could not be")
    assert caveats == [
        f"Not in this ranking: {tmp_path / 'broken.yaml'} could not be "
        "evaluated (the errors say why)."
    ]


def test_a_what_if_report_says_so_and_records_its_command(
    run_cli: RunCli, fixed_date: None
) -> None:
    result = run_cli("compare", "--format", "html", "--panel", "panel", "--weights", "pricing=40")
    doc, _ = parse(result.out)
    mark = next(p for p in doc.iter("p") if p.attrs.get("class") == "what-if")
    # The other four keep their proportions in the 60% left: technical 20 / 76 × 60 =
    # 15.8%, technology_transfer 24 / 76 × 60 = 18.9%, the last two 16 / 76 × 60 = 12.6%.
    assert mark.text.startswith(
        "What-if (--weights pricing=40), not the criteria file's "
        "evaluation: weights technical 15.8% (file 20%), pricing 40% (file 24%), "
        "technology_transfer 18.9% (file 24%), g2g_guarantees 12.6% (file 16%), "
        "long_term_collaboration 12.6% (file 16%)"
    )
    audit = dict(
        zip(
            (dt.text for dt in section(doc, "audit").iter("dt")),
            (dd.text for dd in section(doc, "audit").iter("dd")),
            strict=True,
        )
    )
    assert audit["Command"] == (
        "evaluator compare --format html --panel panel --weights pricing=40"
    )
    assert audit["What-if"] == mark.text
    plain = run_cli("compare", "--format", "html", "--panel", "panel").out
    assert 'class="what-if"' not in plain and "<dt>What-if</dt>" not in plain


def test_the_ranking_lists_every_proposal_with_its_scores(four: str) -> None:
    doc, _ = parse(four)
    table = section(doc, "ranking").find("table")
    headers = [th.text for th in table.find("thead").iter("th")]
    assert headers[:4] == ["Rank", "Proposal", "Country", "Total"]
    assert headers[-1] == "Gates"
    assert all(th.attrs.get("scope") == "col" for th in table.find("thead").iter("th"))
    rows = table.find("tbody").find_all("tr")
    assert [r.find("th").text.rstrip(" ≈") for r in rows] == FOUR
    cells = [[td.text for td in r.find_all("td")] for r in rows]
    assert [c[0] for c in cells] == ["★ 1", "2", "—", "—"]
    assert [c[-1] for c in cells] == ["✓ passes all"] * 2 + ["✗ fails 1"] * 2
    assert "ineligible" in rows[2].attrs["class"].split()
    assert "ineligible" in rows[3].attrs["class"].split()


def test_the_chart_has_one_bar_per_proposal_split_by_criterion(four: str) -> None:
    doc, _ = parse(four)
    chart = section(doc, "contributions").find("svg", class_="contributions")
    assert chart.attrs["role"] == "img"
    assert chart.find("title").text.startswith("Weighted contribution")
    bars = chart.find_all("g", class_="bar")
    assert [b.attrs["data-proposal"] for b in bars] == FOUR
    for bar in bars:
        widths = [float(r.attrs["width"]) for r in bar.find_all("rect", class_="segment")]
        assert widths and all(w > 0 for w in widths)
        assert bar.find("title").text.startswith(bar.attrs["data-proposal"] + ": weighted sum")
        # Screen readers read the chart's description, which says each bar in words.
        assert bar.find("title").text in chart.find("desc").text
    for bar in bars[2:]:
        assert "ineligible" in bar.attrs["class"].split()
        assert "ineligible" in bar.text  # said in words, not only by colour
    legend = [
        li.text for li in section(doc, "contributions").find("ul", class_="legend").iter("li")
    ]
    assert legend == [
        "Technical merit against the user's requirement (20%)",
        "Pricing and value for money (24%)",
        "Depth of technology transfer (24%)",
        "Government-to-government guarantees (16%)",
        "Long-term collaboration (16%)",
        "faded, dashed outline: ineligible",
    ]


def test_segment_lengths_are_the_contributions() -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    comparison = compare_files([PROPOSALS], criteria)
    chart = contribution_chart(comparison)
    scale = chart.plot_width / 100
    for bar, e in zip(chart.bars, comparison.evaluations, strict=True):
        assert [s.series.id for s in bar.segments] == [c.id for c in e.criteria]
        for segment, c in zip(bar.segments, e.criteria, strict=True):
            assert segment.width == pytest.approx(c.contribution * scale, abs=0.01)
        assert bar.end - chart.left == pytest.approx(e.total * scale, abs=0.05)
        assert bar.total == f"{e.total:.2f}"


def test_the_heatmap_has_each_criterion_and_sub_criterion(four: str) -> None:
    doc, _ = parse(four)
    table = section(doc, "criteria").find("table")
    assert [th.text.split("ineligible")[0] for th in table.find("thead").iter("th")][2:] == FOUR
    criteria = load_criteria(DEFAULT_CRITERIA)
    rows = table.find("tbody").find_all("tr")
    expected = []
    for criterion in criteria.criteria:
        expected.append(("level-0", criterion.id))
        expected += [("level-1", leaf.id) for leaf in criterion.leaves]
    assert [(r.attrs["class"], r.find("code").text) for r in rows] == expected
    # Every score is written in the cell, whatever its colour.
    for row in rows:
        for td in row.find_all("td", class_="heat"):
            assert re.fullmatch(r"\d+\.\d(†)?", td.text), td.text


def test_the_gates_show_pass_and_fail_in_words(four: str) -> None:
    doc, _ = parse(four)
    rows = section(doc, "gates").find("tbody").find_all("tr")
    results = {
        r.find("code").text: [td.find("strong").text for td in r.find_all("td")[1:]] for r in rows
    }
    # The direct offer's advance payment (15%) has no guarantee; every offer's local
    # content is at least 30% (35, 45, 40, 35); Türkiye's range (CSS-R01, mandatory) is
    # non-compliant.
    assert results["advance_payment_guaranteed"] == ["✓ pass"] * 2 + ["✗ fail", "✓ pass"]
    assert results["local_content_floor"] == ["✓ pass"] * 4
    assert results["technical_compliance"] == ["✓ pass"] * 3 + ["✗ fail"]
    # A gate whose `when` does not hold is not applicable, as the score cards say: only
    # Italy's price has capped escalation (the others are firm, or an estimate).
    assert results["escalation_cap"] == ["– n/a", "✓ pass", "– n/a", "– n/a"]


def test_each_score_card_explains_every_sub_criterion(four: str, tmp_path: Path) -> None:
    doc, _ = parse(four)
    cards = section(doc, "cards").find_all("article", class_="card")
    assert len(cards) == len(FOUR)
    criteria = load_criteria(unstaged_criteria(tmp_path / "again"))
    comparison = compare_files([PROPOSALS], criteria)
    for card, e in zip(cards, comparison.evaluations, strict=True):
        assert card.find("h3").text.endswith(f"{e.id}: {e.proposal.title}")
        blocks = card.find_all("section", class_="criterion")
        assert [b.find("h4").text.split(" ")[0] for b in blocks[: len(e.criteria)]] == [
            c.title.split(" ")[0] for c in e.criteria
        ]
        for block, c in zip(blocks, e.criteria, strict=False):
            rows = block.find("tbody").find_all("tr")
            assert [r.find("code").text for r in rows] == [leaf.id for leaf in c.leaves]
            for row, leaf in zip(rows, c.leaves, strict=True):
                cells = row.find_all("td")
                assert cells[1].text == percent(leaf.weight)
                # the score, and under a criterion whose credibility discounts only its
                # promises, whether this row is one
                factor = leaf_factor(leaf) if partly_discounted(c) else ""
                assert cells[2].text == f"{leaf.score:.2f}{factor}"
                if factor:
                    assert cells[2].find("span", class_="factor").text == factor
                assert cells[3].text == " ".join(explanation(leaf).split())
            if c.credibility_field is not None:
                assert block.find("p", class_="credibility").text.startswith(
                    f"Credibility: {c.credibility_field} = "
                )
        icp = [b for b in blocks if "icp" in b.attrs["class"].split()]
        assert len(icp) == (e.icp is not None)
        assert len(blocks) == len(e.criteria) + len(icp) + 1  # and the gates
    korea = cards[0]
    assert "✓ eligible" in korea.find("p", class_="meta").text
    assert "✗ ineligible" in cards[3].find("p", class_="meta").text
    # A ranged figure (Korea's sustainment a year, 10–15 m) says so in its value cell.
    pricing = next(
        b
        for b in korea.find_all("section", class_="criterion")
        if b.find("h4").text.startswith("Pricing")
    )
    lifecycle = pricing.find("tbody").find_all("tr")[0].find_all("td")[0]
    assert "≈ from estimates:" in lifecycle.text


def test_the_audit_trail_has_every_file_and_its_hash(report: str) -> None:
    doc, _ = parse(report)
    audit = section(doc, "audit")
    details = dict(
        zip([dt.text for dt in audit.iter("dt")], [dd.text for dd in audit.iter("dd")], strict=True)
    )
    assert details["Generated"] == "2025-06-01 00:00:00 UTC"
    assert details["Tool"].startswith("evaluator ")
    assert details["Method"] == "wsm"
    assert sha256(DEFAULT_CRITERIA) in details["Criteria"]
    assert "malaysia-g2g-2026 version 3.0" in details["Criteria"]
    rows = audit.find("table").find("tbody").find_all("tr")
    files = [(r.find("th").text, *[td.text for td in r.find_all("td")]) for r in rows]
    # Every offer the tender read, those out at a stage too; turkiye's technical envelope
    # only: its financial one was never opened, so it is in no audit trail either.
    assert sorted(files) == sorted(
        (ident, name, sha256(ROOT / name))
        for ident, name in (
            ("direct-offer", "proposals/direct-offer.yaml"),
            ("italy", "proposals/italy.yaml"),
            ("south-korea", "proposals/south-korea.yaml"),
            ("turkiye", "proposals/turkiye/technical.yaml"),
        )
    )


def test_a_card_of_an_offer_in_two_envelopes_lists_both_in_its_audit_trail(
    run_cli: RunCli, fixed_date: None
) -> None:
    result = run_cli("score", "proposals/turkiye", "--format", "html")
    assert result.code == 0, result.err
    doc, _ = parse(result.out)
    rows = section(doc, "audit").find("table").find("tbody").find_all("tr")
    assert [(r.find("th").text, r.find("td").text) for r in rows] == [
        ("turkiye", "proposals/turkiye/financial.yaml"),
        ("turkiye", "proposals/turkiye/technical.yaml"),
    ]


def test_score_gives_one_proposals_card(run_cli: RunCli, fixed_date: None) -> None:
    # Türkiye's offer in its two envelopes (a folder): `score` evaluates it whole.
    result = run_cli("score", "proposals/turkiye", "--format", "html")
    assert result.code == 0, result.err
    doc, _ = parse(result.out)
    assert doc.find("h1").text == "Score card: turkiye"
    assert [h.text for h in doc.find("main").find_all("h2")] == [
        "Summary",
        "What makes up the total",
        "Evidence",
        "Audit trail",
    ]
    # ineligible: its range (CSS-R01, mandatory) is non-compliant (technical_compliance)
    assert doc.find("p", class_="lead").text == (
        "turkiye (Türkiye) is ineligible: total 46.65 of 100 (method wsm)."
    )
    assert [b.attrs["data-proposal"] for b in doc.find_all("g", class_="bar")] == ["turkiye"]
    assert len(doc.find_all("article", class_="card")) == 1
    rows = section(doc, "audit").find("table").find("tbody").find_all("tr")
    assert [[td.text for td in row.find_all("td")] for row in rows] == [
        [f"proposals/turkiye/{name}", sha256(PROPOSALS / "turkiye" / name)]
        for name in ("financial.yaml", "technical.yaml")
    ]


def test_panel_ratings_and_spread_are_shown(run_cli: RunCli, fixed_date: None) -> None:
    result = run_cli("compare", "--panel", "panel", "--format", "html")
    assert result.code == 0, result.err
    doc, _ = parse(result.out)
    panel = section(doc, "panel")
    rows = panel.find("tbody").find_all("tr")
    # Each offer of the weighted evaluation (south-korea and italy, which passed every
    # stage) has two judgements: technical_merit and sincerity.
    italy = next(
        r for r in rows if r.find("th").text == "italy" and r.find_all("td")[0].text == "sincerity"
    )
    assert [td.text for td in italy.find_all("td")] == [
        "sincerity",
        "good",
        "outstanding",
        "acceptable",
        "75.0",
        "50 ⚠",
    ]
    assert italy.attrs["class"] == "disagreement"
    korea = next(
        r
        for r in rows
        if r.find("th").text == "south-korea" and r.find_all("td")[0].text == "sincerity"
    )
    assert [td.text for td in korea.find_all("td")][1:] == ["good", "good", "good", "75.0", "0"]
    assert "class" not in korea.attrs  # the members agree
    ratings = [td for td in doc.find_all("td", class_="panel-ratings")]
    assert len(ratings) == 2 * 2  # two judgements of each of the two offers ranked
    assert ratings[3].text == "A: good B: outstanding C: acceptable ⚠ disagreement"
    audit = section(doc, "audit").find_all("table")[1]
    members = [[td.text for td in r.find_all("td")] for r in audit.find("tbody").find_all("tr")]
    assert members == [[f"panel/{m}.yaml", sha256(ROOT / "panel" / f"{m}.yaml")] for m in "abc"]


def test_method_all_compares_the_rankings(
    run_cli: RunCli, fixed_date: None, tmp_path: Path
) -> None:
    # every offer ranked by each method: the default criteria without stages
    criteria = unstaged_criteria(tmp_path)
    result = run_cli("compare", "--method", "all", "--format", "html", "--criteria", str(criteria))
    assert result.code == 0, result.err
    doc, _ = parse(result.out)
    methods = section(doc, "methods")
    table = methods.find("table", class_="methods")
    rows = table.find("tbody").find_all("tr")
    comparison = compare_files([PROPOSALS], load_criteria(criteria), method="all")
    for row, e in zip(rows, comparison.evaluations, strict=True):
        assert row.find("th").text == e.id
        cells = [td.text for td in row.find_all("td")]
        for i, name in enumerate(["wsm", "topsis", "promethee"]):
            total, rank = e.methods[name]
            assert cells[2 * i] == ("—" if rank is None else str(rank))
            assert cells[2 * i + 1] == f"{total:.2f}"
    taus = {
        r.find("th").text: r.find("td").text
        for r in methods.find("table", class_="kendall").find("tbody").find_all("tr")
    }
    assert comparison.kendall_tau is not None
    assert taus == {
        pair: f"{tau:.2f}" for pair, tau in comparison.kendall_tau.items() if tau is not None
    }


def test_sensitivity_adds_the_robustness_section(run_cli: RunCli, fixed_date: None) -> None:
    result = run_cli("compare", "--format", "html", "--sensitivity")
    assert result.code == 0, result.err
    doc, _ = parse(result.out)
    robust = section(doc, "robustness")
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA), method="wsm")
    analysis = analyse(comparison)
    sentences = [p.text for p in robust.find("div", class_="verdict").iter("p")]
    # the headline, then over which discount rates the winner holds
    assert sentences == [*headline(analysis), discount_sentence(analysis)]
    assert sentences[0].startswith("south-korea stays first while pricing's weight is at least ")
    assert sentences[-1].startswith("Discount rate (today 7%): south-korea stays first at every ")
    chart = robust.find("svg", class_="stability")
    rows = chart.find_all("g", class_="interval")
    assert [g.attrs["data-criterion"] for g in rows] == list(analysis.stability)
    for g, s in zip(rows, analysis.stability.values(), strict=True):
        winner = g.find("rect", class_="winner-holds")
        assert s.winner is not None
        span = float(winner.attrs["width"]) / chart_plot_width(chart)
        assert span == pytest.approx(max(s.winner[1] - s.winner[0], 1 / 610), abs=0.002)
    shares = robust.find("table", class_="acceptability").find("tbody").find_all("tr")
    assert [r.find("th").text for r in shares] == list(analysis.acceptability.shares)
    audit = section(doc, "audit")
    assert "10,000 draws, seed 0, spread 0.25" in audit.text
    assert "Robustness" in [a.text for a in doc.find("nav").iter("a")]


def test_robustness_of_many_proposals_shows_the_top_of_the_ranking(fixed_date: None) -> None:
    # 150 eligible proposals: every rank of every one would be 22,500 cells, each with a bar.
    result = analyse(
        evaluate(many_offers(150), criteria_from(TWO)), samples=2_000, seed=3, spread=None
    )
    doc, _ = parse(render_report(result.comparison, sensitivity=result))
    robust = section(doc, "robustness")
    table = robust.find("table", class_="acceptability")
    heads = [th.text for th in table.find("thead").iter("th")]
    assert heads == [
        "Proposal",
        "1st",
        "2nd",
        "3rd",
        *(f"{r}th" for r in range(4, 11)),
        "11th–150th",
    ]
    rows = table.find("tbody").find_all("tr")
    reach = [i for i, row in result.acceptability.shares.items() if sum(row) > 0]
    assert len(reach) > 20
    assert [r.find("th").text for r in rows] == reach[:20]  # today's order, the top first
    assert all(len(r.find_all("td")) == 11 for r in rows)
    assert result.acceptability.rest is not None
    last = rows[0].find_all("td")[-1].text
    assert last.startswith(f"{result.acceptability.rest[reach[0]]:.0%}")
    assert "130 more proposals are not shown" in robust.text


def chart_plot_width(chart: Node) -> float:
    """The 0–1 axis's length in a stability chart: from its first tick to its last."""
    ticks = [float(line.attrs["x1"]) for line in chart.find("g", class_="axis").iter("line")]
    return ticks[-1] - ticks[0]


def test_sensitivity_needs_html_and_the_weighted_sum(run_cli: RunCli) -> None:
    result = run_cli("compare", "--sensitivity")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "--sensitivity: goes with --format html; for the terminal, run `evaluator sensitivity`\n"
    )
    result = run_cli("compare", "-f", "html", "--method", "topsis", "--sensitivity")
    assert result.code == 2
    assert result.err == (
        "--sensitivity: the analysis works on weighted-sum totals, not "
        "topsis: add --method wsm (or all)\n"
    )


# --- safety and self-containedness ---------------------------------------------------------

HOSTILE = """\
proposal:
  id: hostile
  title: "<script>alert('title')</script> & friends"
  country: "\\"><img src=x onerror=alert(1)>"
pricing:
  currency: MYR
  unit_price: 100_000_000
  quantity: 1
  support_years: 10
  sustainment_per_year: 1_000_000
  price_basis: firm_fixed
technology_transfer:
  level: co_development
  commitment: contractual
industrial_collaboration:
  activities:
    - type: training
      description: "</td></tr></table><script>alert('icp')</script>"
      value: 1_000_000
      local: true
"""


def test_text_from_the_files_is_escaped(run_cli: RunCli, tmp_path: Path, fixed_date: None) -> None:
    (tmp_path / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    # The default criteria list requirements (#18) every offer answers: the hostile text on
    # italy's sample instead, which passes every stage (so it has a card and a ranking row).
    hostile = yaml.safe_load(HOSTILE)
    text = (PROPOSALS / "italy.yaml").read_text(encoding="utf-8")
    text = text.replace("  id: italy\n", "  id: hostile\n")
    text = re.sub(
        r"(?m)^  title: .*$", f"  title: {json.dumps(hostile['proposal']['title'])}", text
    )
    text = re.sub(
        r"(?m)^  country: .*$", f"  country: {json.dumps(hostile['proposal']['country'])}", text
    )
    icp = hostile["industrial_collaboration"]["activities"][0]["description"]
    text = re.sub(r"(?m)^(      description: ).*$", rf"\g<1>{json.dumps(icp)}", text, count=1)
    (tmp_path / "hostile.yaml").write_text(text, encoding="utf-8")
    result = run_cli("compare", str(tmp_path / "hostile.yaml"), "--format", "html")
    assert result.code == 0, result.err
    html = result.out
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; friends" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(&#39;icp&#39;)" in html
    doc, _ = parse(html)
    # The parsed page reads back the text exactly as the file has it.
    card = doc.find("article", class_="card")
    assert card.find("h3").text == "1st hostile: <script>alert('title')</script> & friends"
    assert (
        doc.find("table", class_="ranking").find("tbody").find_all("td")[1].text
        == '"><img src=x onerror=alert(1)>'
    )


def external_references(html: str) -> list[str]:
    """Every URL the page could fetch: src, href, url(), @import, other than #fragments."""
    found = re.findall(
        r"""\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?([^"'\s>]+)""", html
    )
    found += re.findall(r"url\(\s*['\"]?([^)'\"]+)", html)
    found += re.findall(r"@import\s+([^;]+)", html)
    return [url for url in found if not url.startswith("#")]


def test_the_report_fetches_nothing(report: str) -> None:
    assert external_references(report) == []
    # The page names no address of its own: a URL in it is text quoted from the files it
    # reports on (the criteria's exchange-rate source), as text, never inside a tag.
    quoted = "".join(
        path.read_text(encoding="utf-8")
        for path in [DEFAULT_CRITERIA, *sorted(PROPOSALS.glob("*.yaml"))]
    )
    urls = re.findall(r"https?://[^\s<>\"']+", report)
    assert urls, "the samples' criteria quote the exchange rates' source, with its address"
    assert [url for url in urls if url.rstrip(");,.") not in quoted] == []
    assert not re.search(r"<[^>]*https?://", report)
    assert "<script" not in report and "<link" not in report and "<img" not in report
    # The page forbids loading anything, should a proposal smuggle a URL into its text.
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
    ) in report


def test_external_references_finds_urls() -> None:
    page = (
        '<img src="https://x.test/a.png"><a href="#ok">x</a>'
        '<style>@import "https://x.test/a.css"; b { background: url(http://x.test/b) }'
        '</style><rect fill="url(#pattern)"/>'
    )
    assert external_references(page) == [
        "https://x.test/a.png",
        "http://x.test/b",
        '"https://x.test/a.css"',
    ]


# --- reproducibility -----------------------------------------------------------------------


def test_source_date_epoch_makes_the_report_byte_identical(
    run_cli: RunCli, fixed_date: None
) -> None:
    first = run_cli("compare", "--format", "html", "--sensitivity")
    second = run_cli("compare", "--format", "html", "--sensitivity")
    assert first.code == second.code == 0
    assert first.out == second.out
    assert first.out.count("2025-06-01 00:00:00 UTC") == 3  # header, audit, footer


def test_the_date_is_the_only_difference_between_runs(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = run_cli("compare", "--format", "html").out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    second = run_cli("compare", "--format", "html").out
    assert first.replace("1970-01-01 00:00:00 UTC", "1970-01-02 00:00:00 UTC") == second


def test_without_source_date_epoch_the_date_is_now() -> None:
    from datetime import UTC, datetime, timedelta

    made = generated_at({})
    assert abs(datetime.now(UTC) - made) < timedelta(seconds=5)
    assert generated_at({"SOURCE_DATE_EPOCH": " 1748736000 "}) == datetime(2025, 6, 1, tzinfo=UTC)


def test_a_bad_source_date_epoch_is_a_usage_error(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("compare", "--format", "html")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, got 'yesterday'\n"
    )


# --- the command line ----------------------------------------------------------------------


def test_output_writes_the_report(run_cli: RunCli, tmp_path: Path, fixed_date: None) -> None:
    target = tmp_path / "report.html"
    result = run_cli("compare", "--format", "html", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err == f"wrote {target}\n"
    written = target.read_text(encoding="utf-8")
    # The same report as on standard output, but for the command in its audit trail.
    command = re.compile(r"<dt>Command</dt><dd><code>[^<]*</code></dd>")
    shown = run_cli("compare", "--format", "html").out
    assert command.sub("", written) == command.sub("", shown)
    assert (
        f"<dt>Command</dt><dd><code>evaluator compare --format html --output {target}</code></dd>"
    ) in written
    again = run_cli("compare", "--format", "html", "--output", str(target))
    assert again.code == 1 and "already exists; add --force" in again.err
    assert run_cli("compare", "-f", "html", "-o", str(target), "--force").code == 0


def test_html_is_offered_by_compare_and_score_only(run_cli: RunCli) -> None:
    for command in ("compare", "score"):
        shown = " ".join(run_cli(command, "--help").out.split())
        assert "table, json, csv, markdown, html, xlsx" in shown
    result = run_cli("criteria", "--format", "html")
    assert result.code == 2
    assert result.err == "--format: 'html' is not one of: table, json, markdown\n"


def test_jinja2_is_imported_for_html_only() -> None:
    assert imported_after(
        [["compare"], ["compare", "--format", "html"]], ["jinja2", "evaluator.render.html"]
    ) == [[False, False], [True, True]]


def test_the_templates_are_package_data() -> None:
    import evaluator

    folder = Path(evaluator.__file__).parent / "templates"
    assert {p.name for p in folder.iterdir()} >= {"report.html", "charts.html", "report.css"}


def test_an_empty_comparison_still_makes_a_page(fixed_date: None) -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    comparison = compare_files([], criteria)
    doc, _ = parse(render_report(comparison))
    assert doc.find("p", class_="lead").text == "No proposal could be scored."
    assert [h.text for h in doc.find("main").find_all("h2")] == ["Recommendation", "Audit trail"]


# --- colours -------------------------------------------------------------------------------


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_heat_runs_from_the_lightest_to_the_darkest() -> None:
    assert heat(0) == HEAT[0] and heat(100) == HEAT[-1] and heat(-5) == HEAT[0]
    assert heat(150) == HEAT[-1]
    shades = [_luminance(heat(x)) for x in range(0, 101, 5)]
    assert shades == sorted(shades, reverse=True)


@pytest.mark.parametrize("background", [*PALETTE, *(heat(x) for x in range(0, 101, 5))])
def test_text_on_colour_has_enough_contrast(background: str) -> None:
    assert contrast(ink(background), background) >= 4.5  # WCAG AA for normal text


# --- in a real browser ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium offline, with a profile of its own."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    assert len(raw) == height * (stride + 1)
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += stride + 1
        for x in range(stride) if kind else ():
            left = line[x - size] if x >= size else 0
            up = previous[x]
            corner = previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + ((left + up) >> 1)) & 255
            else:  # Paeth
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (
                    line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        rows.append(b"".join(bytes(line[x : x + 3]) for x in range(0, stride, size)))
        previous = line
    return width, height, rows


@browser
def test_chromium_draws_the_report(run_cli: RunCli, tmp_path: Path, fixed_date: None) -> None:
    page = tmp_path / "report.html"
    assert run_cli("compare", "-f", "html", "--sensitivity", "-o", str(page)).code == 0
    url = page.as_uri()

    # The DOM as the browser built it: the SVG charts parsed as SVG, one bar per proposal.
    dom = chromium(tmp_path, "--dump-dom", url).stdout.decode("utf-8")
    doc, _ = parse(dom)
    bars = doc.find("svg", class_="contributions").find_all("g", class_="bar")
    # The default criteria are staged: the two offers that passed every stage are ranked.
    ranked = ["south-korea", "italy"]
    assert [b.attrs["data-proposal"] for b in bars] == ranked
    for bar in bars:
        assert sum(float(r.attrs["width"]) for r in bar.find_all("rect", class_="segment")) > 0
    assert len(doc.find_all("article", class_="card")) == len(ranked)
    # one stability interval per criterion weight (five criteria)
    criteria = load_criteria(DEFAULT_CRITERIA)
    intervals = doc.find("svg", class_="stability").find_all("g", class_="interval")
    assert len(intervals) == len(criteria.criteria) == 5
    assert "parsererror" not in dom
    assert external_references(dom) == []

    # What a committee member sees: a 1280 × 2000 picture with the chart's colours in it.
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", url)
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    colours: dict[bytes, int] = {}
    widest: dict[bytes, int] = {}  # the most pixels of a colour in one row
    for row in rows:
        in_row: dict[bytes, int] = {}
        for x in range(0, len(row), 3):
            pixel = row[x : x + 3]
            in_row[pixel] = in_row.get(pixel, 0) + 1
        for pixel, count in in_row.items():
            colours[pixel] = colours.get(pixel, 0) + count
            widest[pixel] = max(widest.get(pixel, 0), count)
    assert len(colours) > 200, "the page looks blank"
    white = colours.get(b"\xff\xff\xff", 0)
    assert white < 0.9 * width * height
    # Each criterion's colour fills a stretch of a bar wider than its legend swatch (22
    # pixels): the bars themselves are painted, patterns and all.
    for colour in PALETTE[:4]:
        assert widest.get(bytes.fromhex(colour[1:]), 0) > 30, colour
    # The fifth (long_term_collaboration, segments of 42 and 48 pixels): its pattern leaves
    # fewer pixels of the pure colour in a row, still more than the swatch's 22.
    assert widest.get(bytes.fromhex(PALETTE[4][1:]), 0) > 22, PALETTE[4]
    assert widest.get(bytes.fromhex("14305a"), 0) > 1000  # the masthead, across the page

    # Printed: a page for the summary, then each score card on pages of its own.
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    assert pages >= len(ranked) + 2
