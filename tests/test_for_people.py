"""What people read: numbers rounded for them, captions that say what the numbers are, a
`raw` criterion never given a weight × value contribution, and the order of the results
(issue #15, item 9). The JSON keeps every figure at full precision."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.model.proposal import Proposal
from evaluator.render.text.gates import detail
from evaluator.scoring.engine import evaluate
from tests.conftest import PROPOSALS, Run
from tests.helpers import criteria_from, proposal_from, unstaged_criteria

RunCli = Callable[..., Run]


# --- percentages ---------------------------------------------------------------------------


def _local_work_cut(tmp_path: Path) -> Path:
    """The samples, with the direct offer's local work in its ICP cut from US$180 m to 20 m,
    so that its ICP local share fails the gate `icp_local_share` (> 30) at a computed
    figure that is not round: local 20 m of ICV 20 × 1 + 8 × 4 (technology transfer)
    + 6 × 4 (training) + 1 × 2 (certification) = 78 m, 100 × 20 / 78 = 25.641...%."""
    folder = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, folder)
    offer = folder / "direct-offer.yaml"
    text = offer.read_text(encoding="utf-8")
    assert text.count("value: 180_000_000") == 1
    offer.write_text(text.replace("value: 180_000_000", "value: 20_000_000"), encoding="utf-8")
    return folder


def test_a_derived_percentage_reads_as_a_rounded_percent_in_every_format(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = str(_local_work_cut(tmp_path))
    assert f"{100 * 20 / 78:.4f}" == "25.6410"
    table = run_cli("compare", folder).out
    assert "it has 25.6%)" in " ".join(table.split())
    assert "25.641" not in table
    markdown = run_cli("compare", folder, "-f", "markdown").out
    assert "it has 25.6%)" in markdown and "25.641" not in markdown
    html = run_cli("compare", folder, "-f", "html").out
    assert "it has 25.6%)" in html and "25.641" not in html
    # The samples' direct offer: its ICP Credit Value over its acquisition cost, an
    # uncertain figure (its prices are ranges), and its ICP local share, both computed.
    # ICV 180 + 8 × 4 + 6 × 4 + 1 × 2 = US$238 m; acquisition 3 × 160 m (likely) + 35 m
    # (the midpoint of 30–40 m) = US$515 m: 100 × 238 / 515 = 46.2136%; local share
    # 100 × 180 / 238 = 75.6303%.
    assert (f"{100 * 238 / 515:.4f}", f"{100 * 180 / 238:.4f}") == ("46.2136", "75.6303")
    card = run_cli("score", "proposals/direct-offer.yaml").out
    assert "46.2136" not in card and "75.6303" not in card
    flat = " ".join(card.replace("│", " ").split())
    assert "46.2% (uncertain:" in flat
    assert "75.6%" in flat  # the gate icp_local_share's value


def test_the_json_keeps_the_full_precision_of_a_rounded_percent(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # One weighted evaluation of every sample (the default criteria without their stages):
    # the direct offer, which fails the financial stage, has its result there.
    criteria = str(unstaged_criteria(tmp_path))
    data = json.loads(run_cli("compare", "--criteria", criteria, "-f", "json").out)
    direct = next(r for r in data["results"] if r["id"] == "direct-offer")
    gate = next(g for g in direct["gates"] if g["id"] == "icp_local_share")
    assert gate["detail"] == "75.6%"  # 100 × 180 / 238 = 75.6303 (as above)
    transfer = direct["criteria"]["technology_transfer"]["subcriteria"]
    credit = transfer["icp_credit"]
    assert credit["value"] == pytest.approx(100 * 238 / 515, abs=1e-6)  # 46.213592
    assert credit["explanation"].startswith("46.2% (uncertain: ")
    assert transfer["local_content"]["explanation"].startswith("35% → ")


GATED = """\
id: gated
currency: MYR
criteria:
  - id: only
    weight: 1
    field: technology_transfer.local_content_pct
    rule: {type: linear, best: 100, worst: 0}
gates:
  - id: local
    field: industrial_collaboration.local_share_pct
    require: {above: 30}
"""


def _share(ident: str, local: float, other: float) -> Proposal:
    text = (
        f"proposal: {{country: {ident}}}\n"
        "pricing: {currency: MYR, unit_price: 100, quantity: 1}\n"
        "technology_transfer: {local_content_pct: 50}\n"
        "industrial_collaboration:\n  activities:\n"
        f"    - {{type: man_hours, description: a, value: {local}, local: true}}\n"
        f"    - {{type: man_hours, description: b, value: {other}, local: false}}\n"
    )
    return proposal_from(text, f"{ident}.yaml")


def test_a_rounded_percent_never_reads_as_the_threshold_it_misses() -> None:
    # 29.96% fails "> 30": "30.0%" would say it passes; 30.04% passes and must not read 30.
    comparison = evaluate(
        [_share("low", 2996, 7004), _share("high", 3004, 6996), _share("round", 1923, 8077)],
        criteria_from(GATED),
    )
    shown = {e.id: detail(e.gates[0]) for e in comparison.evaluations}
    assert shown == {"low": "29.96%", "high": "30.04%", "round": "19.2%"}


# --- captions -------------------------------------------------------------------------------


def test_promethee_totals_are_not_captioned_as_scores_from_0_to_100(run_cli: RunCli) -> None:
    out = " ".join(run_cli("compare", "--method", "promethee").out.split())
    assert "Scores 0-100; total" not in out
    assert "Criterion scores 0-100; total = 100 × PROMETHEE II net flow, from -100 to 100" in out
    html = " ".join(run_cli("compare", "--method", "promethee", "-f", "html").out.split())
    assert "<caption>Scores from 0 to 100;" not in html
    assert "<caption>Criterion scores from 0 to 100; total = 100 × PROMETHEE II" in html
    # The weighted sum's and TOPSIS's totals are on the scores' scale: no change there.
    assert "Scores 0-100; total = 100 × TOPSIS" in " ".join(
        run_cli("compare", "--method", "topsis").out.split()
    )


# --- raw criteria ------------------------------------------------------------------------------

RAW = """\
id: raw
title: Raw figures
currency: MYR
method: topsis
criteria:
  - id: range
    weight: 1
    field: technical.range_nm
    rule: {type: raw, direction: max}
  - id: transfer
    weight: 1
    field: technology_transfer.local_content_pct
    rule: {type: linear, best: 60, worst: 0}
"""


@pytest.fixture
def raw_run(tmp_path: Path, run_cli: RunCli) -> Callable[..., Run]:
    (tmp_path / "raw.yaml").write_text(RAW, encoding="utf-8")
    folder = tmp_path / "offers"
    folder.mkdir()
    for name, reach, local in (("a", 3000, 40), ("b", 3500, 50), ("c", 2000, 20)):
        (folder / f"{name}.yaml").write_text(
            f"proposal: {{country: {name.upper()}}}\ntechnical: {{range_nm: {reach}}}\n"
            f"technology_transfer: {{local_content_pct: {local}}}\n",
            encoding="utf-8",
        )

    def run(*args: str) -> Run:
        return run_cli(
            *[
                str(folder / a)
                if a.endswith(".yaml") and "/" not in a
                else str(folder)
                if a == "OFFERS"
                else a
                for a in args
            ],
            "--criteria",
            str(tmp_path / "raw.yaml"),
        )

    return run


def test_a_raw_criterion_has_no_weight_times_value_contribution(
    raw_run: Callable[..., Run],
) -> None:
    for fmt in ("table", "markdown", "html"):
        out = raw_run("score", "a.yaml", "-f", fmt).out
        flat = " ".join(out.replace("│", " ").split())
        # 3000 × 0.5 = 1500 is no part of any total
        assert "1500.00" not in flat and "1,500" not in flat, fmt
        assert "raw value" in flat, fmt
    card = " ".join(raw_run("score", "a.yaml").out.replace("│", " ").split())
    assert (
        "range: a raw value, weight 50%; no contribution: topsis compares the raw values themselves"
    ) in card
    assert "range 100% raw 3,000 (raw value" in card


def test_a_raw_criterion_is_not_shown_as_a_score_in_the_ranking(
    raw_run: Callable[..., Run],
) -> None:
    for fmt in ("table", "markdown", "html"):
        out = raw_run("compare", "OFFERS", "-f", fmt).out
        assert "3500.0" not in out and "3,500" in out, fmt
        assert "range: raw values, not scores" in " ".join(out.split()), fmt
    assert "What makes up the total" not in raw_run("compare", "OFFERS", "-f", "html").out


# --- order ---------------------------------------------------------------------------------------

ORDER = """\
id: order
currency: MYR
criteria:
  - id: only
    weight: 1
    field: technology_transfer.local_content_pct
    rule: {type: linear, best: 100, worst: 0}
gates:
  - id: bond
    field: g2g.performance_bond_pct
    require: {min: 5}
"""


@pytest.fixture
def order_folder(tmp_path: Path) -> Path:
    """Three eligible and three ineligible offers whose totals run against their ids."""
    (tmp_path / "order.yaml").write_text(ORDER, encoding="utf-8")
    folder = tmp_path / "offers"
    folder.mkdir()
    for name, local, bond in (
        ("e1", 10, 10),
        ("e2", 30, 10),
        ("e3", 20, 10),
        ("x1", 40, 1),
        ("x2", 90, 1),
        ("x3", 60, 1),
    ):
        (folder / f"{name}.yaml").write_text(
            f"proposal: {{country: {name.upper()}}}\n"
            f"technology_transfer: {{local_content_pct: {local}}}\n"
            f"g2g: {{performance_bond_pct: {bond}}}\n",
            encoding="utf-8",
        )
    return folder


# By rank, then the ineligible by id (formats.md: "ordered by rank, then ineligible ones,
# each group by id"), not by their totals (x2 90, x3 60, x1 40).
EXPECTED_ORDER = ["e2", "e3", "e1", "x1", "x2", "x3"]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
@pytest.mark.parametrize("method", ["wsm", "topsis", "promethee", "all"])
def test_results_are_by_rank_then_the_ineligible_by_id(
    run_cli: RunCli, order_folder: Path, fmt: str, method: str
) -> None:
    result = run_cli(
        "compare",
        str(order_folder),
        "--criteria",
        str(order_folder.parent / "order.yaml"),
        "-f",
        fmt,
        "-m",
        method,
    )
    assert result.code == 0, result.err
    text = result.out
    if fmt == "html":  # the ranking section; the summary above it names the leaders first
        text = text[text.index('id="ranking"') :]
        text = text[: text.index("</section>")]
    positions = [text.find(ident) for ident in EXPECTED_ORDER]
    if fmt == "json":
        ids = [r["id"] for r in json.loads(result.out)["results"]]
        assert ids == EXPECTED_ORDER
    else:
        assert all(p >= 0 for p in positions), text
        assert positions == sorted(positions), text


def test_sensitivity_lists_the_ineligible_by_id(run_cli: RunCli, order_folder: Path) -> None:
    result = run_cli(
        "sensitivity",
        str(order_folder),
        "--criteria",
        str(order_folder.parent / "order.yaml"),
        "-f",
        "json",
        "--samples",
        "10",
    )
    data = json.loads(result.out)
    assert [e["id"] for e in data["excluded"]] == ["x1", "x2", "x3"]
    assert [e["id"] for e in data["proposals"]] == ["e2", "e3", "e1"]


def test_the_html_card_gives_a_computed_percent_rounded(run_cli: RunCli) -> None:
    card = run_cli("score", "proposals/italy.yaml", "-f", "html").out
    # Italy's ICP Credit Value over its acquisition cost: €426.9 m / €530 m = 80.5472%.
    assert f"{100 * 426.9 / 530:.4f}" == "80.5472"
    assert "80.5472" not in card and "<td>80.5%<" in card
    assert "<td>45%<" in card  # a percentage as written (its local content), with its sign
