"""The proposal format of #17: the renamed contracting model, the agent of an offer, damages
as a rate, payment and financing terms, export-licence and sanctions exposure.

Each new field is tested at its edges, through the reader and through the CLI in a
subprocess, as a user meets it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evaluator.errors import InputError
from evaluator.model.proposal import Proposal
from tests.conftest import ROOT
from tests.helpers import criteria_from, proposal_from

HEAD = "proposal:\n  country: X\npricing:\n  currency: MYR\n  unit_price: 100\n  quantity: 1\n"


def read(text: str) -> Proposal:
    return proposal_from(HEAD + textwrap.dedent(text))


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(text)
    return [str(p) for p in caught.value.problems]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
