"""`evaluator diff OLD NEW`: what each change between two rounds of an offer did to its score
(Shapley values over the changed fields, in the field of the other offers)."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator import api
from evaluator.analysis.diff import changes, hybrid
from evaluator.scoring.engine import evaluate, prepare
from tests.conftest import PROPOSALS, Run

RunCli = Callable[..., Run]
ITALY = (PROPOSALS / "italy.yaml").read_text(encoding="utf-8")

LEVELS = (
    "{off_the_shelf: 0, operator_training: 15, maintenance_capability: 35, "
    "licensed_assembly: 45, licensed_production: 60, full_system_production: 75, "
    "co_development: 90, full_transfer: 100}"
)
# Two criteria, each reading one field: no interaction between the changes.
SIMPLE = f"""\
id: rounds-test
title: Two criteria, one field each
currency: EUR
criteria:
  - id: price
    weight: 60
    field: pricing.unit_price
    rule: {{type: linear, best: 100_000_000, worst: 200_000_000}}
  - id: transfer
    weight: 40
    field: technology_transfer.level
    rule: {{type: levels, levels: {LEVELS}}}
"""
# The price scored against the best price in the field.
PROPORTIONAL = SIMPLE.replace(
    "rule: {type: linear, best: 100_000_000, worst: 200_000_000}",
    "rule: {type: proportional, direction: min}",
)


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


PRICE_DOWN = ("unit_price: 165_000_000", "unit_price: 156_750_000")  # 5% down
LEVEL_UP = ("level: licensed_production", "level: co_development")
# Twelve changes to Italy's offer (and more below), each to a field the default criteria read.
TWELVE = (
    PRICE_DOWN,
    LEVEL_UP,
    ("engineers_trained: 150", "engineers_trained: 180"),
    ("local_content_pct: 45 ", "local_content_pct: 50 "),
    ("joint_rnd_value: 10_000_000", "joint_rnd_value: 20_000_000"),
    ("royalty_free: false", "royalty_free: true"),
    ("commitment: contractual", "commitment: guaranteed"),
    ("financing_pct: 30", "financing_pct: 20"),
    ("delivery_months: 54", "delivery_months: 48"),
    ("partnership_years: 20", "partnership_years: 25"),
    ("max_speed_kn: 25", "max_speed_kn: 26"),
    ("range_nm: 4000", "range_nm: 4200"),
)
MORE = (
    ("quantity: 3", "quantity: 4"),
    ("one_off_costs: 35_000_000", "one_off_costs: 30_000_000"),
    ("countertrade_pct: 0", "countertrade_pct: 10"),
    ("local_jv_equity_pct: 49", "local_jv_equity_pct: 51"),
    ("CSS-R06: {answer: partial", "CSS-R06: {answer: compliant"),
    ("value: 25_000_000", "value: 35_000_000"),  # an ICP activity: the list changes
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def as_json(result: Run) -> dict:
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_two_changes_by_hand(run_cli: RunCli, tmp_path: Path) -> None:
    """Italy's unit price down 5% and its transfer level up: each change's points are its
    rule's change times its weight (no interaction), and they add up to the total change."""
    criteria = write(tmp_path, "simple.yaml", SIMPLE)
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN, LEVEL_UP))
    data = as_json(
        run_cli("diff", str(PROPOSALS / "italy.yaml"), str(new), "-c", str(criteria), "-f", "json")
    )
    by_field = {c["field"]: c for c in data["changes"]}
    assert set(by_field) == {"pricing.unit_price", "technology_transfer.level"}
    # linear from 200 M (0) to 100 M (100): 165 M scores 35, 156.75 M 43.25; weight 60%
    assert by_field["pricing.unit_price"]["change"] == pytest.approx(0.6 * (43.25 - 35))
    assert by_field["pricing.unit_price"]["old"] == 165_000_000
    # licensed_production 60 → co_development 90; weight 40%
    assert by_field["technology_transfer.level"]["change"] == pytest.approx(0.4 * 30)
    assert data["total_change"] == pytest.approx(4.95 + 12)
    assert sum(c["change"] for c in data["changes"]) == pytest.approx(
        data["total_change"], abs=1e-9
    )
    assert data["old"]["total"] == pytest.approx(0.6 * 35 + 0.4 * 60)
    assert data["attribution"] == {"method": "exact", "samples": None, "seed": None, "hybrids": 4}
    assert by_field["pricing.unit_price"]["criteria"] == pytest.approx(
        {"price": 4.95, "transfer": 0.0}
    )
    assert [c["id"] for c in data["criteria"]] == ["price", "transfer"]
    assert data["criteria"][1]["change"] == pytest.approx(12)


def _brute_force(old: Path, new: Path, field: list[Path]) -> tuple[dict[str, float], float]:
    """Each change's average marginal effect over every order of the changes, each hybrid
    scored by a whole `evaluate` of the field and itself."""
    criteria = api.load_criteria()
    a, b = api.load_proposal(old), api.load_proposal(new)
    others = [prepare(api.load_proposal(p), criteria) for p in field]
    found = changes(a, b)
    totals: dict[int, float] = {}

    def total(mask: int) -> float:
        if mask not in totals:
            item = prepare(hybrid(a, b, found, mask), criteria)
            run = evaluate([*others, item], criteria)
            totals[mask] = next(e.total for e in run.evaluations if e.proposal is item.proposal)
        return totals[mask]

    shares = dict.fromkeys(range(len(found)), 0.0)
    orders = list(itertools.permutations(range(len(found))))
    for order in orders:
        mask = 0
        for i in order:
            shares[i] += total(mask | 1 << i) - total(mask)
            mask |= 1 << i
    return {found[i].field: s / len(orders) for i, s in shares.items()}, total(
        (1 << len(found)) - 1
    ) - total(0)


def test_exact_shapley_values_are_the_average_over_every_order(tmp_path: Path) -> None:
    """Six changes that interact (price and quantity in the lifecycle cost and the ICP ratio,
    the commitment discounting the transfer criterion, an ICP activity): the exact values
    are the brute-force average of each change's marginal effect over all 720 orders."""
    new = write(
        tmp_path,
        "italy-r2.yaml",
        edited(ITALY, PRICE_DOWN, LEVEL_UP, *TWELVE[6:7], MORE[0], MORE[5], MORE[4]),
    )
    field = [PROPOSALS / "south-korea.yaml", PROPOSALS / "direct-offer.yaml"]
    result = api.diff(PROPOSALS / "italy.yaml", new, against=field)
    assert len(result.shares) == 6 and result.exact
    expected, total = _brute_force(PROPOSALS / "italy.yaml", new, field)
    assert {s.change.field: s.value for s in result.shares} == pytest.approx(expected, abs=1e-9)
    assert result.total_change == pytest.approx(total, abs=1e-9)
    assert sum(s.value for s in result.shares) == pytest.approx(result.total_change, abs=1e-9)
    assert {s.change.field for s in result.shares} >= {
        "industrial_collaboration.activities",
        "compliance.CSS-R06",
        "pricing.quantity",
    }


def test_twelve_changes_are_exact_and_more_are_sampled_with_their_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    twelve = write(tmp_path, "twelve.yaml", edited(ITALY, *TWELVE))
    data = as_json(run_cli("diff", "proposals/italy.yaml", str(twelve), "-f", "json"))
    assert len(data["changes"]) == 12
    assert data["attribution"]["method"] == "exact"
    assert data["attribution"]["hybrids"] == 4096
    assert all(c["error"] is None for c in data["changes"])

    more = write(tmp_path, "more.yaml", edited(ITALY, *TWELVE, *MORE))
    data = as_json(
        run_cli("diff", "proposals/italy.yaml", str(more), "-f", "json", "--samples", "50")
    )
    assert len(data["changes"]) == 18
    assert data["attribution"] | {"hybrids": 0} == {
        "method": "sampled",
        "samples": 50,
        "seed": 0,
        "hybrids": 0,
    }
    # Efficiency holds exactly in every sampled order, so in their mean too.
    assert sum(c["change"] for c in data["changes"]) == pytest.approx(
        data["total_change"], abs=1e-9
    )
    errors = [c["error"] for c in data["changes"]]
    assert all(e is not None and e >= 0 for e in errors) and max(errors) > 0
    table = run_cli("diff", "proposals/italy.yaml", str(more), "--samples", "50")
    assert table.code == 0 and "±" in table.out and "50 random orders" in table.out
    # The same seed, the same result; another seed, another estimate.
    again = as_json(
        run_cli("diff", "proposals/italy.yaml", str(more), "-f", "json", "--samples", "50")
    )
    other = as_json(
        run_cli(
            "diff",
            "proposals/italy.yaml",
            str(more),
            "-f",
            "json",
            "--samples",
            "50",
            "--seed",
            "1",
        )
    )
    assert again["changes"] == data["changes"] and other["changes"] != data["changes"]


def test_the_same_change_scores_differently_against_another_field(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A proportional rule compares with the best price of the field: the price cut moves
    the total by another amount against a cheaper rival than against a dearer one."""
    criteria = write(tmp_path, "proportional.yaml", PROPORTIONAL)
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN))
    cheap, dear = tmp_path / "cheap", tmp_path / "dear"
    cheap.mkdir()
    dear.mkdir()
    rival = edited(ITALY, ("id: italy", "id: rival"))
    write(
        cheap, "rival.yaml", edited(rival, ("unit_price: 165_000_000", "unit_price: 100_000_000"))
    )
    write(dear, "rival.yaml", edited(rival, ("unit_price: 165_000_000", "unit_price: 160_000_000")))
    points = {}
    for name, folder in (("cheap", cheap), ("dear", dear)):
        data = as_json(
            run_cli(
                "diff", "proposals/italy.yaml", str(new), "-c", str(criteria),
                "--against", str(folder), "-f", "json",
            )
        )  # fmt: skip
        assert data["field"] == ["rival"]
        (change,) = data["changes"]
        points[name] = change["change"]
    # best 100 M: 100 × 100/156.75 − 100 × 100/165; best the offer's own price: 100 − 100 × 160/165
    assert points["cheap"] == pytest.approx(0.6 * (10_000 / 156.75 - 10_000 / 165), abs=1e-6)
    assert points["dear"] == pytest.approx(0.6 * (100 - 10_000 * 160 / 165 / 100), abs=1e-6)
    assert points["cheap"] != pytest.approx(points["dear"], abs=0.01)


def test_rank_change_against_the_field_and_the_offer_itself_left_out(
    run_cli: RunCli, tmp_path: Path
) -> None:
    criteria = write(tmp_path, "simple.yaml", SIMPLE)
    field = tmp_path / "field"
    field.mkdir()
    rival = edited(
        ITALY, ("id: italy", "id: rival"), ("unit_price: 165_000_000", "unit_price: 160_000_000")
    )
    write(field, "rival.yaml", rival)
    shutil.copy(PROPOSALS / "italy.yaml", field / "italy.yaml")  # OLD's id: left out
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN, LEVEL_UP))
    args = ("diff", "proposals/italy.yaml", str(new), "-c", str(criteria), "--against", str(field))
    data = as_json(run_cli(*args, "-f", "json"))
    assert data["field"] == ["rival"]
    assert (data["old"]["rank"], data["new"]["rank"], data["rank_change"]) == (2, 1, 1)
    assert data["old"]["of"] == 2
    table = run_cli(*args)
    assert "Rank 2 → 1 of 2 (up 1)" in table.out


def test_no_change_at_all(run_cli: RunCli, tmp_path: Path) -> None:
    same = write(tmp_path, "italy-again.yaml", ITALY)
    data = as_json(run_cli("diff", "proposals/italy.yaml", str(same), "-f", "json"))
    assert (data["changes"], data["total_change"], data["rank_change"]) == ([], 0.0, 0)
    assert data["attribution"]["hybrids"] == 1
    table = run_cli("diff", "proposals/italy.yaml", str(same))
    assert table.code == 0 and "nothing changed" in table.out


def test_two_offers_with_different_ids_are_compared_with_a_note(run_cli: RunCli) -> None:
    """Allowed (what would Italy's offer need to become Korea's?), and said: NEW is scored
    under OLD's id, and the field leaves both out."""
    args = ("diff", "proposals/italy.yaml", "proposals/south-korea.yaml", "--against", "proposals")
    data = as_json(run_cli(*args, "-f", "json"))
    assert data["old"]["id"] == "italy" and data["new"]["id"] == "south-korea"
    assert "proposal.id" in {c["field"] for c in data["changes"]}
    assert sorted(data["field"]) == ["direct-offer", "turkiye"]
    assert any("two offers, not two rounds of one" in n for n in data["notes"])
    assert sum(c["change"] for c in data["changes"]) == pytest.approx(
        data["total_change"], abs=1e-9
    )


def test_an_offer_in_two_envelopes(run_cli: RunCli, tmp_path: Path) -> None:
    new = tmp_path / "turkiye-r2"
    shutil.copytree(PROPOSALS / "turkiye", new)
    financial = new / "financial.yaml"
    financial.write_text(
        edited(
            financial.read_text(encoding="utf-8"),
            ("unit_price: 180_000_000", "unit_price: 170_000_000"),
        ),
        encoding="utf-8",
    )
    for old_new in (("proposals/turkiye", str(new)), (str(new), "proposals/turkiye")):
        data = as_json(run_cli("diff", *old_new, "--against", "proposals", "-f", "json"))
        assert [c["field"] for c in data["changes"]] == ["pricing.unit_price"]
        assert data["changes"][0]["change"] == pytest.approx(data["total_change"], abs=1e-9)
        assert data["total_change"] != 0
    assert data["total_change"] < 0  # the price back up


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format_escapes_what_the_offer_says(
    run_cli: RunCli, tmp_path: Path, fmt: str
) -> None:
    text = edited(
        ITALY, PRICE_DOWN, ("hull_length_m: 98", 'hull_length_m: 98\n  note: "<b>x</b> | *y*"')
    )
    new = write(tmp_path, "italy-r2.yaml", text)
    result = run_cli("diff", "proposals/italy.yaml", str(new), "-f", fmt)
    assert result.code == 0, result.err
    assert "technical.note" in result.out and "pricing.unit_price" in result.out
    if fmt == "html":
        assert result.out.startswith("<!DOCTYPE html>")
        assert "<b>" not in result.out and "&lt;b&gt;x&lt;/b&gt;" in result.out
    if fmt == "markdown":
        assert "\\<b>x\\</b>" in result.out
        assert "\\| \\*y\\*" in result.out
    if fmt == "table":
        assert "Total change" in result.out and "exact" in result.out


def test_written_to_a_file_and_the_inputs_protected(run_cli: RunCli, tmp_path: Path) -> None:
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN))
    out = tmp_path / "round.html"
    result = run_cli("diff", "proposals/italy.yaml", str(new), "-f", "html", "-o", str(out))
    assert result.code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    before = new.read_text(encoding="utf-8")
    clash = run_cli("diff", "proposals/italy.yaml", str(new), "-o", str(new), "--force")
    assert clash.code != 0 and new.read_text(encoding="utf-8") == before


def test_usage_and_input_errors(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("diff", "proposals/italy.yaml", "nowhere.yaml").code == 1
    assert run_cli("diff", "proposals/italy.yaml", "proposals/italy.yaml", "-f", "csv").code == 2
    bad = run_cli("diff", "proposals/italy.yaml", "proposals/italy.yaml", "--samples", "0")
    assert bad.code == 2


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sets(st.sampled_from(range(len(TWELVE) + len(MORE))), min_size=1))
def test_efficiency_holds_for_any_set_of_changes(tmp_path: Path, chosen: set[int]) -> None:
    edits = [(*TWELVE, *MORE)[i] for i in sorted(chosen)]
    new = write(tmp_path, "italy-rx.yaml", edited(ITALY, *edits))
    result = api.diff(PROPOSALS / "italy.yaml", new, against=[PROPOSALS], samples=20)
    assert len(result.shares) == len(chosen)
    assert sum(s.value for s in result.shares) == pytest.approx(result.total_change, abs=1e-9)
    assert result.exact == (len(chosen) <= 12)


def test_a_change_of_currency_converts_the_money_of_every_mix(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Round 2 priced in dollars with the same numbers: every money figure is a change (the
    same number is another sum), and the currency alone moves nothing, since each mix
    has its money converted into its own currency from its round's."""
    new = write(tmp_path, "italy-usd.yaml", edited(ITALY, ("currency: EUR", "currency: USD")))
    data = as_json(run_cli("diff", "proposals/italy.yaml", str(new), "-f", "json"))
    by_field = {c["field"]: c for c in data["changes"]}
    assert {"pricing.currency", "pricing.unit_price", "industrial_collaboration.activities"} <= set(
        by_field
    )
    assert by_field["pricing.currency"]["change"] == pytest.approx(0, abs=1e-9)
    assert by_field["pricing.unit_price"]["change"] > 0  # dollars are cheaper than euros
    assert sum(c["change"] for c in data["changes"]) == pytest.approx(
        data["total_change"], abs=1e-9
    )
    # The same sum in the other currency is no change.
    rate = 4.59275 / 3.8935  # the default criteria's likely EUR and USD rates
    converted = edited(
        ITALY,
        ("currency: EUR", "currency: USD"),
        ("unit_price: 165_000_000", f"unit_price: {165e6 * rate!r}"),
    )
    data = as_json(
        run_cli(
            "diff", "proposals/italy.yaml", str(write(tmp_path, "c.yaml", converted)), "-f", "json"
        )
    )
    assert "pricing.unit_price" not in {c["field"] for c in data["changes"]}


def test_another_method_attributes_its_own_totals(run_cli: RunCli, tmp_path: Path) -> None:
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN, LEVEL_UP))
    args = ("diff", "proposals/italy.yaml", str(new), "--against", "proposals", "-f", "json")
    wsm, topsis = as_json(run_cli(*args)), as_json(run_cli(*args, "--method", "topsis"))
    assert (wsm["method"], topsis["method"]) == ("wsm", "topsis")
    assert topsis["what_if"] == {"weights": None, "method": "topsis"}
    assert topsis["total_change"] != pytest.approx(wsm["total_change"])
    assert sum(c["change"] for c in topsis["changes"]) == pytest.approx(
        topsis["total_change"], abs=1e-9
    )
    assert all(c["criteria"] == {} for c in topsis["changes"])


def test_a_mix_that_cannot_be_scored_is_named(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a mix of the rounds be one the engine refuses (OLD and NEW are not), the error
    says which changes it takes from NEW, at the place of the problem."""
    from evaluator.analysis import diff as core
    from evaluator.errors import InputError

    real = core.derive

    def refusing(proposal, criteria):  # type: ignore[no-untyped-def]
        values = proposal.values
        if values.get("pricing.unit_price") == 156_750_000 and (
            values.get("technology_transfer.level") == "licensed_production"
        ):
            raise InputError.at(proposal.file, "refused")
        return real(proposal, criteria)

    monkeypatch.setattr(core, "derive", refusing)
    new = write(tmp_path, "italy-r2.yaml", edited(ITALY, PRICE_DOWN, LEVEL_UP))
    result = run_cli("diff", "proposals/italy.yaml", str(new))
    assert result.code == 1 and result.out == ""
    assert result.err == (
        "proposals/italy.yaml: OLD with pricing.unit_price from NEW cannot be scored: refused\n"
    )
    assert "Traceback" not in result.err


def test_a_gate_failed_by_a_change_is_said_with_the_eligibility(
    run_cli: RunCli, tmp_path: Path
) -> None:
    new = write(
        tmp_path,
        "italy-r2.yaml",
        edited(ITALY, ("local_content_pct: 45 ", "local_content_pct: 25 ")),
    )
    args = ("diff", "proposals/italy.yaml", str(new), "--against", "proposals")
    data = as_json(run_cli(*args, "-f", "json"))
    assert (data["old"]["eligible"], data["new"]["eligible"]) == (True, False)
    assert (data["old"]["rank"], data["new"]["rank"], data["rank_change"]) == (2, None, None)
    assert [(g["id"], g["old"], g["new"]) for g in data["gates"]] == [
        ("local_content_floor", True, False)
    ]
    table = run_cli(*args).out
    assert "Rank 2 → not ranked of 4; no longer eligible" in table
    assert "Gate local_content_floor (At least 30% local content): passed → failed" in table
