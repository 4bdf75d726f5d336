"""Offers tendered in two envelopes: a folder holding `technical.yaml` (every section but
`pricing`, save `pricing.currency`: the currency its own money figures are in, which is no
price) and `financial.yaml` (`pricing`, and optionally `proposal.id` to match).

The technical envelope is read as a proposal that knows where its financial envelope is
(`Proposal.financial`); `open_financial` reads that file only when asked, so that a run
that stops before the financial stage, or an offer that failed before it, never opens
it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from evaluator.errors import InputError
from evaluator.io.files import DEFAULT_MAX_BYTES, load_document
from evaluator.io.strict_yaml import Document
from evaluator.messages.compliance import (
    NO_FINANCIAL_ENVELOPE,
    NOT_THIS_OFFER,
    OTHER_CURRENCY,
    PRICE_IN_TECHNICAL,
)
from evaluator.messages.values import SECTION
from evaluator.model.checks import Checker
from evaluator.model.proposal import Proposal, parse_proposal

TECHNICAL_FILE, FINANCIAL_FILE = "technical.yaml", "financial.yaml"
FINANCIAL_SECTIONS = ("pricing",)


def is_envelopes(path: Path) -> bool:
    """Whether `path` is a folder holding an offer's two envelopes."""
    try:
        return path.is_dir() and (path / TECHNICAL_FILE).exists()
    except OSError:
        return False


def load_technical(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Proposal:
    """The technical envelope, read as a proposal; its financial envelope is not opened."""
    document = load_document(folder / TECHNICAL_FILE, max_bytes)
    data = document.data
    pricing = data.get("pricing") if isinstance(data, dict) else None
    if pricing is not None:
        check = Checker(document)
        if isinstance(pricing, dict):
            for key in pricing:
                if key != "currency":
                    check.report(("pricing", key), PRICE_IN_TECHNICAL, key=True)
        else:
            check.report(("pricing",), PRICE_IN_TECHNICAL, key=True)
        check.raise_if_any()
    proposal = parse_proposal(document)
    if not isinstance(data, dict) or (data.get("proposal") or {}).get("id") is None:
        proposal = replace(proposal, id=folder.name)
    return replace(proposal, financial=str(folder / FINANCIAL_FILE))


def open_financial(proposal: Proposal, max_bytes: int = DEFAULT_MAX_BYTES) -> Proposal:
    """The offer with its financial envelope opened (a single-file offer as it is)."""
    if proposal.financial is None:
        return proposal
    path = Path(proposal.financial)
    if not path.exists():
        raise InputError.at(proposal.file, NO_FINANCIAL_ENVELOPE)
    document = load_document(path, max_bytes)
    check = Checker(document)
    top = check.mapping((), document.data, ("proposal", *FINANCIAL_SECTIONS), what=SECTION)
    check.raise_if_any()
    given = (top or {}).get("proposal")
    if isinstance(given, dict) and given.get("id") not in (None, proposal.id):
        check.report(("proposal", "id"), NOT_THIS_OFFER(given=str(given["id"]), id=proposal.id))
        check.raise_if_any()
    # Read as a proposal of its own (the same checks, located in this file), whose
    # `proposal` section is the technical envelope's.
    body: dict[str, Any] = {"proposal": {"id": proposal.id, "country": proposal.country or "-"}}
    body["pricing"] = (top or {}).get("pricing")
    currency = proposal.values.get("pricing.currency")
    given_currency = body["pricing"].get("currency") if isinstance(body["pricing"], dict) else None
    if currency is not None and given_currency is not None and given_currency != currency:
        check.report(
            ("pricing", "currency"),
            OTHER_CURRENCY(given=str(given_currency), technical=str(currency)),
        )
        check.raise_if_any()
    if currency is not None and isinstance(body["pricing"], dict) and given_currency is None:
        body["pricing"] = {"currency": currency, **body["pricing"]}
    financial = parse_proposal(Document(document.file, body, document.sha256, document.text))
    priced = {k: v for k, v in financial.values.items() if k.startswith("pricing.")}
    return replace(
        proposal,
        values={**proposal.values, **priced},
        ranges={**proposal.ranges, **financial.ranges},
        financial=None,
    )
