"""The library as a notebook uses it (issue #16): `import evaluator`, keyword-only options,
`str` or `Path`, typed results, and errors that speak of the settings, never of options."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evaluator.api import load_criteria
from evaluator.errors import SettingError, UsageError
from tests.conftest import DEFAULT_CRITERIA, Run

RunCli = Callable[..., Run]

CRITERIA_IDS = "pricing, technology_transfer, g2g_guarantees, long_term_collaboration"


@pytest.mark.parametrize(("weights", "message"), [
    ({"prising": 40}, "no criterion `prising` (did you mean `pricing`?); criteria: "
                      + CRITERIA_IDS),
    ({"pricing": 140}, "`pricing` is 140%: a weight is a percentage of the total, from 0 to "
                       "100"),
    ({"pricing": 60, "g2g_guarantees": 50}, "the weights given add up to 110%, more than the "
                                            "whole (100%)"),
    ({"pricing": 25, "technology_transfer": 25, "g2g_guarantees": 25,
      "long_term_collaboration": 20},
     "with every criterion named, the weights must add up to 100% (they add up to 95%)"),
])
def test_what_if_weights_are_refused_in_the_domain_s_words(weights: dict[str, float],
                                                          message: str) -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    with pytest.raises(SettingError) as caught:
        criteria.weights(weights)
    error = caught.value
    assert isinstance(error, UsageError) and error.exit_code == 2
    assert error.setting == "weights"
    assert str(error) == f"weights: {message}"
    assert "--" not in str(error)


@pytest.mark.parametrize("command", ["compare", "sensitivity", "criteria"])
def test_the_command_line_names_the_option_of_the_setting(run_cli: RunCli, command: str
                                                          ) -> None:
    result = run_cli(command, "--weights", "pricing=60,g2g_guarantees=50")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("--weights: the weights given add up to 110%, more than the whole "
                          "(100%)\n")
