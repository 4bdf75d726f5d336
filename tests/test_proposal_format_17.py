"""The proposal format of #17: the renamed contracting model, the agent of an offer, damages
as a rate, payment and financing terms, export-licence and sanctions exposure.

Each new field is tested at its edges, through the reader and through the CLI in a
subprocess, as a user meets it.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from evaluator.errors import InputError
from evaluator.model.proposal import Proposal
from tests.conftest import ROOT
from tests.helpers import criteria_from, evaluator_process, proposal_from

HEAD = "proposal:\n  country: X\npricing:\n  currency: MYR\n  unit_price: 100\n  quantity: 1\n"


def read(text: str) -> Proposal:
    return proposal_from(HEAD + textwrap.dedent(text))


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(text)
    return [str(p) for p in caught.value.problems]


cli = evaluator_process


# --- the contracting model renamed ---------------------------------------------------------


def test_us_foreign_military_sales_is_read() -> None:
    p = read("g2g: {contracting_model: us_foreign_military_sales}\n")
    assert p.values["g2g.contracting_model"] == "us_foreign_military_sales"


def test_the_old_word_is_refused_naming_the_new_one() -> None:
    (message,) = problems("g2g:\n  contracting_model: g2g_loa_estimates\n")
    assert message.startswith(
        "offer.yaml:8:22: unknown value 'g2g_loa_estimates' (renamed "
        "`us_foreign_military_sales`: LOA is read in Malaysian procurement as the Letter of "
        "Acceptance, not the US Letter of Offer and Acceptance); expected one of: "
    )


def test_the_old_word_in_a_criteria_file_names_the_new_one_too() -> None:
    with pytest.raises(InputError) as caught:
        criteria_from(
            """\
            id: t
            currency: MYR
            criteria:
              - id: c
                weight: 1
                field: g2g.contracting_model
                rule: {type: levels, levels: {g2g_sovereign_prime: 100,
                  g2g_framework_plus_commercial: 80, g2g_loa_estimates: 60,
                  direct_commercial: 20}}
            """
        )
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "renamed `us_foreign_military_sales`" in text


def test_the_old_word_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "offer.yaml"
    path.write_text(HEAD + "g2g:\n  contracting_model: g2g_loa_estimates\n", encoding="utf-8")
    result = cli("validate", str(path))
    assert result.returncode == 1
    assert "8:22: unknown value 'g2g_loa_estimates' (renamed `us_foreign_military_sales`" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


# --- damages as a rate, payment and financing, risk ----------------------------------------

NEW_PERCENTS = [
    ("g2g", "liquidated_damages_rate_pct"),
    ("pricing", "advance_payment_pct"),
    ("pricing", "financing_pct"),
    ("pricing", "countertrade_pct"),
]


@pytest.mark.parametrize(("section", "key"), NEW_PERCENTS)
@pytest.mark.parametrize("value", [0, 0.5, 100])
def test_new_percentages_take_0_to_100(section: str, key: str, value: float) -> None:
    p = read(f"{section}:\n  {key}: {value}\n" if section != "pricing" else "")
    if section == "pricing":
        p = proposal_from(HEAD + f"  {key}: {value}\n")
    assert p.values[f"{section}.{key}"] == value


@pytest.mark.parametrize(("section", "key"), NEW_PERCENTS)
@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-0.5, "must be at least 0, got -0.5"),
        (100.5, "must be at most 100, got 100.5"),
        ("'5'", "expected a number, got the text '5'"),
    ],
)
def test_new_percentages_refuse_what_is_out_of_bounds(
    section: str, key: str, value: object, says: str
) -> None:
    text = HEAD + (
        f"  {key}: {value}\n" if section == "pricing" else f"{section}:\n  {key}: {value}\n"
    )
    with pytest.raises(InputError) as caught:
        proposal_from(text)
    (problem,) = caught.value.problems
    assert says in str(problem) and problem.line == 7 + (section != "pricing")


def test_a_percentage_may_be_a_range() -> None:
    p = read("g2g:\n  liquidated_damages_rate_pct: {low: 0.5, high: 1}\n")
    assert p.values["g2g.liquidated_damages_rate_pct"] == 0.75
    assert "g2g.liquidated_damages_rate_pct" in p.ranges


CHOICE_FIELDS = [
    ("pricing", "payment_milestones", ("physical_progress", "time_based")),
    ("risk", "export_licence", ("none", "us_itar", "us_ear", "other_third_country")),
    ("risk", "sanctions", ("none", "supply_chain", "counterparty_listed")),
]


@pytest.mark.parametrize(("section", "key", "words"), CHOICE_FIELDS)
def test_new_choices_take_their_words_and_no_other(
    section: str, key: str, words: tuple[str, ...]
) -> None:
    def text(word: str) -> str:
        return HEAD + (
            f"  {key}: {word}\n" if section == "pricing" else f"{section}:\n  {key}: {word}\n"
        )

    for word in words:
        assert proposal_from(text(word)).values[f"{section}.{key}"] == word
    with pytest.raises(InputError) as caught:
        proposal_from(text("Unknown"))
    (problem,) = caught.value.problems
    assert str(problem.message).startswith("unknown value 'Unknown'")
    assert str(problem.message).endswith("expected one of: " + ", ".join(words))


def test_advance_payment_guarantee_is_true_or_false() -> None:
    assert (
        proposal_from(HEAD + "  advance_payment_guarantee: true\n").values[
            "pricing.advance_payment_guarantee"
        ]
        is True
    )
    with pytest.raises(InputError) as caught:
        proposal_from(HEAD + "  advance_payment_guarantee: yes\n")
    assert "expected true or false" in str(caught.value.problems[0])


def test_the_risk_section_knows_its_fields() -> None:
    with pytest.raises(InputError) as caught:
        read("risk:\n  sanction: none\n")
    assert "unknown field `sanction` (did you mean `sanctions`?)" in str(caught.value.problems[0])


# The default criteria's requirements (criteria/requirements.yaml), each answered: an offer
# that leaves one unanswered is an error (#18). Appended last: no line above it moves.
ANSWERS = "compliance:\n" + "".join(
    f"  CSS-R0{n}: {{answer: compliant, reference: {{volume: 1, page: {n}}}}}\n"
    for n in range(1, 7)
)


def test_the_new_fields_through_the_cli(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        HEAD + "  payment_milestones: physical_progress\n  advance_payment_pct: 15\n"
        "  advance_payment_guarantee: true\n  financing_pct: 60\n  countertrade_pct: 0\n"
        "g2g:\n  liquidated_damages_rate_pct: 0.5\n  liquidated_damages_cap_pct: 10\n"
        "risk:\n  export_licence: us_itar\n  sanctions: none\n" + ANSWERS,
        encoding="utf-8",
    )
    result = cli("validate", str(good))
    assert result.returncode == 0, result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "  financing_pct: 120\nrisk:\n  export_licence: itar\n", encoding="utf-8")
    result = cli("validate", str(bad))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(":7:18: must be at most 100, got 120" in line for line in lines), lines
    assert any(":9:19: unknown value 'itar' (did you mean `us_itar`?)" in line for line in lines), (
        lines
    )


# --- the agent of an offer -----------------------------------------------------------------

AGENT = (
    "  agent_name: Example Agency Sdn Bhd\n"
    "  agent_fee_pct: 2.5\n"
    "  agent_fee: 5_000_000\n"
    "  agent_registration: MOF 357-0000001\n"
)


def test_a_disclosed_agent_with_name_fee_and_registration_is_read() -> None:
    p = read("g2g:\n  intermediaries: disclosed\n" + AGENT)
    assert p.values["g2g.agent_name"] == "Example Agency Sdn Bhd"
    assert p.values["g2g.agent_fee_pct"] == 2.5
    assert p.values["g2g.agent_fee"] == 5_000_000
    assert p.values["g2g.agent_registration"] == "MOF 357-0000001"


@pytest.mark.parametrize(
    "fee", ["  agent_fee_pct: 2.5\n", "  agent_fee: 5_000_000\n", "  agent_fee_pct: 0\n"]
)
def test_either_fee_is_enough(fee: str) -> None:
    read("g2g:\n  intermediaries: disclosed\n  agent_name: A\n  agent_registration: R\n" + fee)


@pytest.mark.parametrize(
    ("dropped", "says"),
    [
        ("agent_name", "`intermediaries: disclosed` needs the agent's name: give `agent_name`"),
        (
            "agent_registration",
            "`intermediaries: disclosed` needs the agent's registration: give `agent_registration`",
        ),
        (
            "fee",
            "`intermediaries: disclosed` needs the agent's fee: give `agent_fee_pct`",
        ),
    ],
)
def test_a_disclosed_agent_needs_each_part(dropped: str, says: str) -> None:
    lines = [line for line in AGENT.splitlines(keepends=True) if dropped not in line]
    if dropped == "fee":
        lines = [line for line in lines if "agent_fee" not in line]
    (message,) = problems("g2g:\n  intermediaries: disclosed\n" + "".join(lines))
    # at the word `disclosed`, line 8 column 19
    assert message.startswith("offer.yaml:8:19: " + says), message


def test_a_disclosed_agent_with_nothing_says_all_three() -> None:
    found = problems("g2g:\n  intermediaries: disclosed\n")
    assert len(found) == 3
    assert all(m.startswith("offer.yaml:8:19: `intermediaries: disclosed` needs") for m in found)


@pytest.mark.parametrize(
    "line", [line for line in AGENT.splitlines(keepends=True)], ids=lambda s: s.split(":")[0]
)
def test_with_no_intermediaries_any_agent_field_is_an_error(line: str) -> None:
    (message,) = problems("g2g:\n  intermediaries: none\n" + line)
    field = line.split(":")[0].strip()
    assert message.startswith(
        f"offer.yaml:9:3: `{field}` describes an agent, but `intermediaries` is `none`"
    ), message


def test_agent_fields_without_intermediaries_stated_are_an_error() -> None:
    (message,) = problems("g2g:\n  agent_name: A\n")
    assert message.startswith(
        "offer.yaml:8:3: `agent_name` describes an agent: state `intermediaries: disclosed`"
    ), message


def test_an_undisclosed_agent_may_give_what_is_known() -> None:
    p = read("g2g:\n  intermediaries: undisclosed\n  agent_fee_pct: 3\n")
    assert p.values["g2g.agent_fee_pct"] == 3
    read("g2g:\n  intermediaries: undisclosed\n")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("  agent_fee_pct: 101\n", "must be at most 100, got 101"),
        ("  agent_fee_pct: -1\n", "must be at least 0, got -1"),
        ("  agent_fee: -1\n", "must be at least 0, got -1"),
    ],
)
def test_agent_figures_keep_their_bounds(line: str, says: str) -> None:
    found = problems(
        "g2g:\n  intermediaries: disclosed\n  agent_name: A\n  agent_registration: R\n" + line
    )
    assert any(says in m for m in found), found


AGENT_OFFER = (
    "proposal:\n  country: X\n  title: Agent offer\npricing:\n  currency: USD\n"
    "  unit_price: 100_000_000\n  quantity: 1\n"
    "g2g:\n  intermediaries: disclosed\n" + AGENT + ANSWERS
)


def test_the_agent_is_shown_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "agent.yaml"
    path.write_text(AGENT_OFFER, encoding="utf-8")
    criteria = str(ROOT / "criteria" / "default.yaml")
    table = cli("score", str(path), "--criteria", criteria)
    assert table.returncode == 0, table.stderr
    flat = " ".join(table.stdout.replace("│", " ").split())
    assert (
        "Agent (disclosed): Example Agency Sdn Bhd, registration MOF 357-0000001; fee 2.5% of "
        # US$5,000,000 × 3.8935 (the default criteria's likely USD rate) = RM 19,467,500
        "the contract value and 19,467,500 MYR (5,000,000 USD)." in flat
    ), flat
    markdown = cli("score", str(path), "--criteria", criteria, "-f", "markdown")
    assert "Agent (disclosed): Example Agency Sdn Bhd, registration MOF 357-0000001" in (
        markdown.stdout
    )
    html = cli("score", str(path), "--criteria", criteria, "-f", "html")
    assert 'class="agent"' in html.stdout
    assert "Agent (disclosed): Example Agency Sdn Bhd, registration MOF 357-0000001" in html.stdout
    data = json.loads(cli("score", str(path), "--criteria", criteria, "-f", "json").stdout)
    (result,) = data["results"]
    assert result["agent"] == {
        "intermediaries": "disclosed",
        "name": "Example Agency Sdn Bhd",
        "registration": "MOF 357-0000001",
        "fee_pct": 2.5,
        "fee": 5_000_000 * 3.8935,
        "currency": "MYR",
        "offer_fee": 5_000_000.0,
        "offer_currency": "USD",
    }


def test_no_agent_is_null_in_the_json(tmp_path: Path) -> None:
    data = json.loads(cli("score", str(ROOT / "proposals" / "italy.yaml"), "-f", "json").stdout)
    assert data["results"][0]["agent"] is None


def test_an_agent_missing_its_registration_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "agent.yaml"
    path.write_text(AGENT_OFFER.replace("  agent_registration: MOF 357-0000001\n", ""))
    result = cli("validate", str(path))
    assert result.returncode == 1
    assert (
        "agent.yaml:9:19: `intermediaries: disclosed` needs the agent's registration: give "
        "`agent_registration`" in result.stderr
    ), result.stderr
