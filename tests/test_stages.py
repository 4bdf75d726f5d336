"""Tender stages and two envelopes (#18): stages evaluated in turn on the one engine, the
weighted recommendation among the offers that passed every stage, `--stage` to stop early;
an offer's financial envelope opened only when it reaches the financial stage, never in a
technical run (proved with invalid financial files and a record of every file read)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from evaluator.io import files
from tests.test_compliance import CRITERIA, answers, offer

STAGES = """\
stages:
  - id: technical
    title: Jawatankuasa Penilaian Teknikal
    criteria: [technical]
    gates: [technical_compliance]
  - id: financial
    title: Jawatankuasa Penilaian Kewangan
    criteria: [price]
    envelope: financial
    recommend: true
"""
INVALID = ": : not yaml [\n"


def envelopes(folder: Path, name: str, price: int | None, body: str) -> None:
    """An offer in two envelopes; `price` None: an invalid financial file."""
    folder.mkdir()
    (folder / "technical.yaml").write_text(
        f"proposal: {{id: {name}, title: {name.upper()}, country: X}}\n" + body
    )
    financial = (
        INVALID
        if price is None
        else f"pricing: {{currency: MYR, unit_price: {price}, quantity: 1}}\n"
    )
    (folder / "financial.yaml").write_text(financial)


@pytest.fixture
def tender(tmp_path: Path) -> Path:
    (tmp_path / "criteria.yaml").write_text(CRITERIA + STAGES)
    offers = tmp_path / "offers"
    offers.mkdir()
    (offers / "a.yaml").write_text(offer("a", 150, answers(tr03="partial")))  # a single file
    envelopes(offers / "c", "c", 120, answers())
    envelopes(offers / "d", "d", None, answers(tr01="non_compliant"))  # fails technical
    return tmp_path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the tool reads, by name."""
    seen: list[str] = []
    original = files.read_text

    def recording(path: Path, *args: object, **kwargs: object) -> tuple[str, str, str]:
        seen.append(str(path))
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "read_text", recording)
    return seen


def compare(run_cli, tender: Path, *extra: str):
    return run_cli(
        "compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"), *extra
    )


def test_stages_in_turn_and_the_recommendation_among_those_that_passed(run_cli, tender, reads):
    result = compare(run_cli, tender)
    assert result.code == 0, result.err
    out = result.out
    assert "Stage 1: Jawatankuasa Penilaian Teknikal (technical)" in out
    assert "d fails (100.00): Mandatory requirements met" in out
    assert "TR-01 (mandatory): non-compliant, vol. 2, § 3.1, p. 14" in out
    assert "Not considered (failed an earlier stage): d." in out
    assert "Financial envelope not opened (price shown nowhere): d." in out
    assert "Recommended: c (X), total 90.00" in out
    # d's (invalid) financial envelope was never read; c's was, once it passed.
    assert not [name for name in reads if name.endswith("d/financial.yaml")]
    assert [name for name in reads if name.endswith("c/financial.yaml")]


def test_a_technical_run_opens_no_financial_envelope(run_cli, tender, reads):
    envelopes_c = tender / "offers" / "c" / "financial.yaml"
    envelopes_c.write_text(INVALID)
    result = compare(run_cli, tender, "--stage", "technical")
    assert result.code == 0, result.err
    assert not [name for name in reads if name.endswith("financial.yaml")]
    assert "Stopped after stage `technical`: no weighted evaluation." in result.out
    assert "Recommended" not in result.out


def test_a_technical_run_with_unreadable_financial_files(run_cli, tender):
    for name in ("c", "d"):
        path = tender / "offers" / name / "financial.yaml"
        path.unlink()
        path.mkdir()  # not a file: reading it would be an error
    result = compare(run_cli, tender, "--stage", "technical", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["results"] == [] and data["errors"] == []
    assert [s["id"] for s in data["stages"]] == ["technical"]
    assert [p["id"] for p in data["stages"][0]["passed"]] == ["c", "a"]  # by stage score


def test_the_price_of_an_offer_that_failed_appears_nowhere(run_cli, tender):
    (tender / "offers" / "d" / "financial.yaml").write_text(
        "pricing: {currency: MYR, unit_price: 987654321, quantity: 1}\n"
    )
    for fmt in ("table", "json", "markdown", "csv", "html"):
        result = compare(run_cli, tender, "--format", fmt)
        assert result.code == 0, result.err
        assert "987654321" not in result.out and "987,654,321" not in result.out, fmt


def test_json_stages(run_cli, tender):
    data = json.loads(compare(run_cli, tender, "--format", "json").out)
    technical, financial = data["stages"]
    assert technical["failed"][0]["id"] == "d"
    kinds = [r["kind"] for r in technical["failed"][0]["reasons"]]
    assert kinds == ["gate", "requirement"]
    assert technical["failed"][0]["reasons"][1]["reference"] == {
        "volume": "2",
        "section": "3.1",
        "page": "14",
    }
    assert financial["not_considered"] == ["d"]
    assert [p["id"] for p in financial["passed"]] == ["c", "a"]
    assert data["sealed"] == ["d"]
    assert [r["id"] for r in data["results"]] == ["c", "a"]


def test_every_offer_failing_technical(run_cli, tender):
    (tender / "offers" / "a.yaml").write_text(offer("a", 150, answers(tr01="partial")))
    (tender / "offers" / "c" / "technical.yaml").write_text(
        "proposal: {id: c, title: C, country: X}\n" + answers(tr01="non_compliant")
    )
    (tender / "offers" / "c" / "financial.yaml").write_text(INVALID)
    result = compare(run_cli, tender)
    assert result.code == 0, result.err
    assert result.out.count("No offer passes this stage.") == 2  # technical, then nobody left
    assert "Financial envelope not opened (price shown nowhere): c, d, a." in result.out
    assert "Weighted evaluation among the offers that passed every stage: none." in result.out


def test_a_stage_nobody_passes_on_its_pass_mark(run_cli, tender):
    for name in ("c", "d"):  # technical scores 50: below the mark
        (tender / "offers" / name / "technical.yaml").write_text(
            f"proposal: {{id: {name}, title: C, country: X}}\n" + answers(tr03="partial")
        )
    text = CRITERIA + STAGES.replace("gates: [technical_compliance]", "pass_mark: 101")
    (tender / "criteria.yaml").write_text(text)
    assert "must be at most 100" in compare(run_cli, tender).err
    text = CRITERIA + STAGES.replace("gates: [technical_compliance]", "pass_mark: 99.5")
    (tender / "criteria.yaml").write_text(text)
    result = compare(run_cli, tender)
    assert result.code == 0, result.err  # nobody reaches the financial stage: none opened
    assert result.out.count("No offer passes this stage.") == 2
    assert "below the pass mark" in result.out


def test_a_single_file_tender_without_stages_is_unchanged(run_cli, tender):
    (tender / "criteria.yaml").write_text(CRITERIA)
    (tender / "offers" / "d" / "financial.yaml").write_text(
        "pricing: {currency: MYR, unit_price: 100, quantity: 1}\n"
    )
    result = compare(run_cli, tender)
    assert result.code == 0, result.err
    assert "Stage" not in result.out
    assert "Recommended: c (X)" in result.out  # the envelopes read whole, as one offer
    assert "d is ineligible: Mandatory requirements met" in result.out


def test_without_stages_an_invalid_financial_envelope_is_an_error(run_cli, tender):
    (tender / "criteria.yaml").write_text(CRITERIA)
    result = compare(run_cli, tender)
    assert result.code == 1
    assert "d/financial.yaml:1:1: not valid YAML" in result.err


def test_stage_option_errors(run_cli, tender):
    result = compare(run_cli, tender, "--stage", "tecnical")
    assert result.code == 2
    assert "no stage `tecnical`" in result.err
    (tender / "criteria.yaml").write_text(CRITERIA)
    result = compare(run_cli, tender, "--stage", "technical")
    assert result.code == 2 and "has no stages" in result.err


def test_a_price_in_the_technical_envelope_is_an_error(run_cli, tender):
    path = tender / "offers" / "c" / "technical.yaml"
    path.write_text(path.read_text() + "pricing: {currency: MYR, unit_price: 1, quantity: 1}\n")
    result = compare(run_cli, tender, "--stage", "technical")
    assert result.code == 1
    assert "the price goes in the financial envelope" in result.err
    assert f"{path}:6:26:" in result.err  # at `unit_price` (the key), not at `currency`


def test_the_technical_envelope_may_give_its_currency(run_cli, tender):
    """Money figures outside the price (joint R&D, ICP activities) need a currency: the
    technical envelope may give `pricing.currency`, which the financial one then shares."""
    path = tender / "offers" / "c" / "technical.yaml"
    path.write_text(
        path.read_text()
        + "pricing: {currency: MYR}\ntechnology_transfer: {joint_rnd_value: 5_000_000}\n"
    )
    (tender / "offers" / "c" / "financial.yaml").write_text(
        "pricing: {unit_price: 120, quantity: 1}\n"
    )
    result = compare(run_cli, tender, "--format", "json")
    assert result.code == 0, result.err
    assert "c" in [r["id"] for r in json.loads(result.out)["results"]]


def test_a_financial_envelope_in_another_currency_is_an_error(run_cli, tender):
    path = tender / "offers" / "c" / "technical.yaml"
    path.write_text(path.read_text() + "pricing: {currency: MYR}\n")
    financial = tender / "offers" / "c" / "financial.yaml"
    financial.write_text("pricing:\n  currency: USD\n  unit_price: 120\n  quantity: 1\n")
    result = compare(run_cli, tender)
    assert f"{financial}:2:13: this financial envelope is in USD" in result.err
    assert "technical envelope gives `pricing.currency` MYR" in result.err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("criteria: [technical]", "criteria: [tecnical]"),
        ("gates: [technical_compliance]", "gates: [compliance]"),
    ],
)
def test_a_stage_naming_what_is_not_defined(run_cli, tender, change, message):
    (tender / "criteria.yaml").write_text(CRITERIA + STAGES.replace(change, message))
    result = compare(run_cli, tender)
    assert result.code == 1
    assert "which the criteria file does not define" in result.err


def test_a_technical_stage_that_reads_the_price_is_refused_where_it_names_it(run_cli, tender):
    # The technical committee must not see a price: a single-file offer holds one, so a
    # technical stage scoring `pricing.*` would show it before the financial envelope.
    text = STAGES.replace("    criteria: [technical]\n", "    criteria: [technical, price]\n")
    (tender / "criteria.yaml").write_text(CRITERIA + text)
    result = compare(run_cli, tender, "--stage", "technical")
    assert result.code == 1
    line = 1 + (CRITERIA + text).splitlines().index("    criteria: [technical, price]")
    assert result.err.strip().endswith(
        f"criteria.yaml:{line}:27: stage `technical` reads the technical envelope, but its "
        "criterion `price` reads what the financial envelope holds, or a figure made from it "
        "(pricing.unit_price): score it in a financial stage (`envelope: financial`), so that "
        "no price is seen before the financial envelope is opened"
    )


def test_a_technical_stage_gate_on_a_price_derived_figure_is_refused(run_cli, tender):
    gate = (
        "  - {id: icp_ratio, field: industrial_collaboration.credit_ratio_pct,"
        " require: {min: 30}}\n"
    )
    criteria = CRITERIA.replace("gates:\n", "gates:\n" + gate, 1)
    text = STAGES.replace(
        "gates: [technical_compliance]", "gates: [technical_compliance, icp_ratio]"
    )
    (tender / "criteria.yaml").write_text(criteria + text)
    result = compare(run_cli, tender)
    assert result.code == 1
    assert "its gate `icp_ratio` reads what the financial envelope holds" in result.err
    assert "(industrial_collaboration.credit_ratio_pct)" in result.err
    # The same gate in the financial stage is what a tender does: accepted.
    moved = STAGES.replace(
        "    criteria: [price]\n", "    criteria: [price]\n    gates: [icp_ratio]\n"
    )
    (tender / "criteria.yaml").write_text(criteria + moved)
    assert compare(run_cli, tender, "--stage", "technical").code == 0


def test_score_on_staged_criteria_says_the_stages_were_not_run(run_cli, tender):
    # `score` gives one offer's weighted evaluation; with stages (the default criteria
    # have them) it must not pass for a tender's result, in words and in the JSON's notes.
    staged = run_cli("score", "proposals/turkiye")  # an offer in two envelopes
    assert staged.code == 0, staged.err
    said = " ".join(staged.out.split())
    assert (
        "Note: these criteria are evaluated in stages (technical, icp, financial): this is "
        "the offer's weighted evaluation of every criterion, as if it had passed them; "
        "`evaluator compare` runs the stages." in said
    )
    data = json.loads(run_cli("score", "proposals/turkiye", "-f", "json").out)
    assert any(note.startswith("these criteria are evaluated in stages") for note in data["notes"])
    (tender / "criteria.yaml").write_text(CRITERIA)  # no stages
    plain = run_cli(
        "score", str(tender / "offers" / "a.yaml"), "--criteria", str(tender / "criteria.yaml")
    )
    assert plain.code == 0, plain.err
    assert "evaluated in stages" not in plain.out


def test_recommend_only_on_the_last_stage(run_cli, tender):
    text = STAGES.replace(
        "    gates: [technical_compliance]\n",
        "    gates: [technical_compliance]\n    recommend: true\n",
    )
    (tender / "criteria.yaml").write_text(CRITERIA + text)
    result = compare(run_cli, tender)
    assert result.code == 1 and "only the last stage" in result.err


def test_the_sample_tender(run_cli, reads):
    """The samples show the process (docs/stages.md): turkiye, tendered in two envelopes,
    fails a mandatory requirement at the technical stage and its financial envelope is
    never opened; direct-offer fails the financial stage's advance-payment gate; the
    recommendation is among the other two."""
    result = run_cli("compare", "proposals", "--panel", "panel")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "turkiye fails (41.25): Every mandatory requirement of the user met" in out
    assert "CSS-R01 (mandatory): non-compliant, vol. 2, § 3.1, p. 14" in out
    assert "direct-offer fails (49.01): Advance payment covered by a guarantee" in out
    assert "Financial envelope not opened (price shown nowhere): turkiye." in out
    assert "Recommended: south-korea (South Korea)" in out
    assert not [name for name in reads if name.endswith("turkiye/financial.yaml")]
    data = json.loads(run_cli("compare", "proposals", "--panel", "panel", "-f", "json").out)
    assert [r["id"] for r in data["results"]] == ["south-korea", "italy"]
    assert data["sealed"] == ["turkiye"]
    assert "turkiye" not in json.dumps(data["results"])
    technical = run_cli("compare", "proposals", "--panel", "panel", "--stage", "technical")
    assert "Passed: italy (69.58), south-korea (68.58), direct-offer (55.00)." in technical.out
    assert "Recommended" not in technical.out


def test_the_default_criteria_are_a_tender_in_stages():
    """The issue's order: technical, then ICP, then financial (the only stage that opens
    the financial envelope), then the weighted recommendation; every requirement of the
    user is read by the technical stage (its gate and its criterion)."""
    from evaluator.api import load_criteria

    default = load_criteria("criteria/default.yaml")
    assert [(s.id, s.financial, s.recommend) for s in default.stages] == [
        ("technical", False, False),
        ("icp", False, False),
        ("financial", True, True),
    ]
    technical = default.stages[0]
    assert technical.gates == ("technical_compliance",) and technical.criteria == ("technical",)
    fields = {leaf.field for c in default.criteria if c.id == "technical" for leaf in c.leaves}
    assert {"compliance.desirable_pct", "panel.technical_merit"} <= fields
    assert [g.fields for g in default.gates if g.id == "technical_compliance"] == [
        ("compliance.mandatory_met",)
    ]


def test_an_unreadable_financial_envelope_is_opened_not_sealed(run_cli, tender):
    (tender / "offers" / "c" / "financial.yaml").write_text(INVALID)
    result = compare(run_cli, tender, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert "c" not in data["sealed"] and "d" in data["sealed"]
    failed = {f["id"]: f for f in data["stages"][-1]["failed"]}
    assert [r["kind"] for r in failed["c"]["reasons"]] == ["error"]


def test_stopping_at_the_last_stage_recommends_nothing(run_cli, tender, reads):
    result = compare(run_cli, tender, "--stage", "financial")
    assert result.code == 0, result.err
    assert "Stopped after stage `financial`: no weighted evaluation." in result.out
    assert "Recommended" not in result.out
    assert [name for name in reads if name.endswith("c/financial.yaml")]
    assert not [name for name in reads if name.endswith("d/financial.yaml")]


def test_sensitivity_with_stages_analyses_the_offers_that_passed_every_stage(run_cli, tender):
    plain = compare(run_cli, tender, "--format", "html")
    result = compare(run_cli, tender, "--format", "html", "--sensitivity")
    assert plain.code == 0 and result.code == 0, result.err
    assert 'id="h-robustness"' in result.out and 'id="h-robustness"' not in plain.out
    robustness = result.out[result.out.index('id="h-robustness"') :]
    robustness = robustness[: robustness.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", robustness)
    assert "c ranks first in" in text  # among c and a, the offers that passed every stage
    assert "d ranks" not in text and " d:" not in text  # d failed technical


def test_sensitivity_analyses_only_the_offers_that_passed_every_stage(run_cli, tender):
    """An offer that passes every gate but not a stage's pass mark is in no weighted
    evaluation, so in no analysis of it either (sensitivity used to rank every offer)."""
    staged = STAGES.replace(
        "    gates: [technical_compliance]\n",
        "    gates: [technical_compliance]\n    pass_mark: 60\n",
    )
    (tender / "criteria.yaml").write_text(CRITERIA + staged)
    (tender / "offers" / "e.yaml").write_text(offer("e", 180, answers()))
    result = run_cli(
        "sensitivity",
        str(tender / "offers"),
        "--criteria",
        str(tender / "criteria.yaml"),
        "--samples",
        "200",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data["acceptability"]) == {"c", "e"}  # a (stage score 50 < 60) and d left out
    [note] = [n for n in data["notes"] if "evaluated in stages" in n]
    assert note.startswith(
        "these criteria are evaluated in stages (technical, financial): this analyses the "
        "weighted evaluation among the offers that passed every stage; not among them: "
    )
    assert set(note.rsplit(": ", 1)[1].split(", ")) == {"a", "d"}


def test_the_staged_csv_guards_text_from_the_offers(run_cli, tender):
    """A reference in an offer is text from outside: in the CSV, the reason quoting it must
    not start a formula in the committee's spreadsheet (as every CSV cell is guarded)."""
    path = tender / "offers" / "d" / "technical.yaml"
    # Where `;` separates a list, a spreadsheet splits the cell after "§ 1;".
    path.write_text(path.read_text().replace("section: '3.1'", "section: '1;=HYPERLINK(1)'", 1))
    result = compare(run_cli, tender, "--format", "csv")
    assert result.code == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.endswith(
        ",stage_technical,stage_technical_score,stage_financial,stage_financial_score,reasons"
    )
    [failed] = [r for r in rows if r.startswith(",d,")]
    assert "§ 1;'=HYPERLINK(1)" in failed


def test_a_failure_on_the_pass_mark_shows_the_panel_ratings_behind_the_score(run_cli, tmp_path):
    """The panel's technical judgement is part of the technical stage score: when an offer
    falls below the pass mark, the ratings behind its score are said with the reason (or
    that no member rated it, so it scored 0: the stage then fails it for want of a panel)."""
    unrated = run_cli("compare", "--format", "json")
    [turkiye] = [f for f in json.loads(unrated.out)["stages"][0]["failed"] if f["id"] == "turkiye"]
    [mark] = [r for r in turkiye["reasons"] if r["kind"] == "pass_mark"]
    assert mark["judgements"] == [{"judgement": "technical_merit", "ratings": None, "score": None}]
    said = " ".join(run_cli("compare").out.split())
    assert "below the pass mark; technical_merit (panel): no member rated it, scored 0." in said
    panel = tmp_path / "panel"
    shutil.copytree(Path("panel"), panel)
    for member in panel.glob("*.yaml"):
        text = member.read_text(encoding="utf-8")
        member.write_text(
            text.replace(
                "turkiye: {sincerity: good, technical_merit: good}",
                "turkiye: {sincerity: good, technical_merit: unacceptable}",
            )
            .replace(
                "turkiye: {sincerity: acceptable, technical_merit: good}",
                "turkiye: {sincerity: acceptable, technical_merit: unacceptable}",
            )
            .replace(
                "turkiye: {sincerity: outstanding, technical_merit: acceptable}",
                "turkiye: {sincerity: outstanding, technical_merit: unacceptable}",
            ),
            encoding="utf-8",
        )
    rated = " ".join(run_cli("compare", "--panel", str(panel)).out.split())
    assert (
        "stage score 22.50, below the pass mark; technical_merit (panel): A unacceptable, "
        "B unacceptable, C unacceptable; median 0." in rated
    )


def test_a_long_tender_shows_a_screenful_of_each_list_and_all_with_all(run_cli, tender):
    """As a long ranking does (compare --all): piped or on a terminal, each stage's list of
    offers stops after a screenful and says how many more; --all shows every one."""
    body = (tender / "offers" / "a.yaml").read_text()
    for n in range(45):
        (tender / "offers" / f"x{n:02d}.yaml").write_text(body.replace("id: a,", f"id: x{n:02d},"))
    short = compare(run_cli, tender)
    assert short.code == 0, short.err
    flat = " ".join(short.out.split())
    assert "… and 7 more." in flat  # c, a and the 45 copies pass technical: 40 shown
    whole = " ".join(compare(run_cli, tender, "--all").out.split())
    assert "more." not in whole.split("Stage 2")[0] and "x44 (" in whole


def test_each_offer_is_prepared_once_for_every_stage(tender, monkeypatch):
    """Derived values and gates are made once per offer, against the whole criteria, and
    again only for an offer whose financial envelope was opened (it gains its prices): not
    once per stage and once more for the recommendation (7,237 preparations for 2,000
    offers, most of a staged run's time)."""
    from evaluator import api
    from evaluator.scoring import engine
    from evaluator.scoring import stages as staging

    prepared: list[str] = []
    original = engine.prepare

    def counting(proposal, criteria):  # type: ignore[no-untyped-def]
        prepared.append(proposal.id)
        return original(proposal, criteria)

    monkeypatch.setattr(staging, "prepare", counting)
    monkeypatch.setattr(engine, "prepare", counting)
    criteria = api.load_criteria(tender / "criteria.yaml")
    staged = api.compare_stages([tender / "offers"], criteria)
    assert staged.final is not None and [e.id for e in staged.final.evaluations]
    # a, c and d read; c's financial envelope opened (d failed the technical stage first)
    assert sorted(prepared) == ["a", "c", "c", "d"]
