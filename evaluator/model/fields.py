"""The proposal vocabulary: every section, field, kind and allowed value, in one table.

This table is the single source for validation, derived fields, the JSON Schema,
the `new` template and the checks on criteria files (a rule or gate must name a
field that exists, and a `levels` map must cover every value a field allows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from evaluator.messages import Message
from evaluator.messages.values import ID_CHARACTERS, ID_START, RENAMED_LOA


def N_(message: str) -> str:  # the gettext name (babel.cfg): marks a msgid, gives it back
    """`message` as it is: marks words of the input formats for translation (the `new`
    template shows them in the run's language; the JSON Schema keeps the English)."""
    return message


# The words of the formats are translated where a person reads them (the `new` template):
# Babel extracts each field's description, the third argument of `_F` (`-k _F:3`).

# A field's value as read: text, a number, true/false, a date, or a list of words.
Value = str | int | float | bool | date | tuple[str, ...]
# Ids of proposals, criteria, sub-criteria and gates; three-letter ISO 4217 codes; the
# names of free-form (`technical`) facts.
ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
TECHNICAL_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def id_rule(ident: str) -> Message:
    """Why `ident` cannot be an id (see `ID_PATTERN`): the rule it breaks."""

    def allowed(character: str) -> bool:
        return character.isascii() and (character.isalnum() or character in "_-")

    first = ident[:1]
    if not first or not ((first.isascii() and first.isalpha()) or first == "_"):
        return ID_START(character=first)
    bad = next(c for c in ident if not allowed(c))
    return ID_CHARACTERS(character=bad)


# The kinds of value a field can hold. Numeric kinds share the rules for numbers.
TEXT, MONEY, PERCENT, COUNT, NUMBER, BOOL, DATE, CHOICE, CHOICES, CURRENCY, ANY = (
    "text",
    "money",
    "percent",
    "count",
    "number",
    "bool",
    "date",
    "choice",
    "choices",
    "currency",
    "any",
)
# A panel judgement (`panel.sincerity`): rated by panel members, scored by a levels rule.
JUDGEMENT = "judgement"
NUMERIC_KINDS = frozenset({MONEY, PERCENT, COUNT, NUMBER})
# Any number in a proposal may instead be a range of estimates, `{low, high, likely}`
# (`likely` optional), each within the field's own bounds: see evaluator.model.ranges.
RANGE_KEYS = ("low", "high", "likely")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a proposal: its kind, allowed values, bounds and meaning."""

    name: str  # dotted: section.field
    kind: str
    description: str
    choices: tuple[str, ...] = ()
    required: bool = False
    minimum: float = 0.0
    derived: bool = False

    @property
    def section(self) -> str:
        """The section the field lives in."""
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The field's own name inside its section."""
        return self.name.split(".", 1)[1]

    @property
    def numeric(self) -> bool:
        """Whether rules for numbers (linear, steps, ...) apply to it."""
        return self.kind in NUMERIC_KINDS

    @property
    def accepts_range(self) -> bool:
        """Whether a proposal may give it as a range `{low, high, likely}` (every number may)."""
        return self.kind in NUMERIC_KINDS and not self.derived


PRICE_BASIS = ("firm_fixed", "capped_escalation", "estimate")
TRANSFER_LEVELS = (
    "off_the_shelf",
    "operator_training",
    "maintenance_capability",
    "licensed_assembly",
    "licensed_production",
    "full_system_production",
    "co_development",
    "full_transfer",
)
IP_RIGHTS = ("use", "maintain", "modify", "produce", "export")
COMMITMENT = ("guaranteed", "contractual", "mou", "intent")
CONTRACTING_MODELS = (
    "g2g_sovereign_prime",
    "g2g_framework_plus_commercial",
    "us_foreign_military_sales",
    "direct_commercial",
)
# Words of earlier versions, refused with a hint naming the word that replaced them:
# old word -> (new word, the hint). `g2g_loa_estimates` read "LOA" as the US Letter of
# Offer and Acceptance; in Malaysian procurement an LOA is the Letter of Acceptance.
US_FMS = CONTRACTING_MODELS[2]
RENAMED_VALUES: dict[str, tuple[str, Message]] = {
    "g2g_loa_estimates": (US_FMS, RENAMED_LOA(new=US_FMS)),
}
INTERMEDIARIES = ("none", "disclosed", "undisclosed")
PAYMENT_MILESTONES = ("physical_progress", "time_based")
EXPORT_LICENCE = ("none", "us_itar", "us_ear", "other_third_country")
SANCTIONS = ("none", "supply_chain", "counterparty_listed")
TRACK_RECORD = ("substantial", "satisfactory", "neutral", "limited", "none")

_F = FieldSpec
PROPOSAL_FIELDS: tuple[FieldSpec, ...] = (
    _F("proposal.id", TEXT, "identifier; defaults to the file name without .yaml"),
    _F("proposal.title", TEXT, "what is offered, in a few words"),
    _F("proposal.country", TEXT, "the partner country making the offer", required=True),
    _F("proposal.partner", TEXT, "the offering government body"),
    _F("proposal.supplier", TEXT, "prime contractor behind the government"),
    _F("proposal.programme", TEXT, "the procurement programme"),
    _F("proposal.submitted", DATE, "date of the offer (YYYY-MM-DD)"),
    _F(
        "proposal.round",
        TEXT,
        "the negotiation round this version of the offer answers (R2, BAFO); "
        "the register's history names the round so",
    ),
    _F(
        "pricing.currency",
        CURRENCY,
        "ISO 4217 code of every money figure in the proposal",
        required=True,
    ),
    _F("pricing.unit_price", MONEY, "price of one unit"),
    _F("pricing.quantity", COUNT, "number of units", minimum=1),
    _F("pricing.one_off_costs", MONEY, "training, spares, infrastructure (default 0)"),
    _F("pricing.sustainment_per_year", MONEY, "in-service support per year (default 0)"),
    _F("pricing.support_years", COUNT, "years of in-service support priced (default 0)"),
    _F("pricing.price_basis", CHOICE, "how firm the price is", PRICE_BASIS),
    _F("pricing.escalation_cap_pct", PERCENT, "cap on escalation; only with capped_escalation"),
    _F(
        "pricing.payment_milestones",
        CHOICE,
        "what payments are tied to: physical progress (work done and checked) or dates",
        PAYMENT_MILESTONES,
    ),
    _F("pricing.advance_payment_pct", PERCENT, "advance payment, % of contract value"),
    _F(
        "pricing.advance_payment_guarantee",
        BOOL,
        "the advance payment is covered by a bank or government guarantee",
    ),
    _F(
        "pricing.financing_pct",
        PERCENT,
        "% of the price financed by the supplier's side (e.g. export credit)",
    ),
    _F("pricing.countertrade_pct", PERCENT, "% of the price offset by countertrade"),
    _F("technology_transfer.level", CHOICE, "depth of transfer on the ladder", TRANSFER_LEVELS),
    _F("technology_transfer.ip_rights", CHOICES, "rights granted over the IP", IP_RIGHTS),
    _F("technology_transfer.royalty_free", BOOL, "no royalties on transferred IP"),
    _F("technology_transfer.source_code_access", BOOL, "access to software source code"),
    _F("technology_transfer.engineers_trained", COUNT, "local engineers trained"),
    _F("technology_transfer.local_content_pct", PERCENT, "local content, % of value"),
    _F("technology_transfer.joint_rnd_value", MONEY, "joint research and development funding"),
    _F(
        "technology_transfer.commitment",
        CHOICE,
        "how binding the transfer promises are",
        COMMITMENT,
    ),
    _F(
        "g2g.contracting_model",
        CHOICE,
        "who contracts and who stands behind delivery; us_foreign_military_sales: US Foreign "
        "Military Sales, the US government's Letter of Offer and Acceptance, whose prices and "
        "dates are estimates",
        CONTRACTING_MODELS,
    ),
    _F("g2g.sovereign_guarantee", BOOL, "the supplying government guarantees performance"),
    _F("g2g.performance_bond_pct", PERCENT, "performance bond, % of contract value"),
    _F("g2g.liquidated_damages_cap_pct", PERCENT, "cap on liquidated damages for delay, %"),
    _F(
        "g2g.liquidated_damages_rate_pct",
        PERCENT,
        "liquidated damages per week of delay, % of contract value",
    ),
    _F("g2g.delivery_months", COUNT, "months from contract to delivery"),
    _F("g2g.intermediaries", CHOICE, "agents or intermediaries in the deal", INTERMEDIARIES),
    _F("g2g.agent_name", TEXT, "the agent's name; required with intermediaries: disclosed"),
    _F(
        "g2g.agent_fee_pct",
        PERCENT,
        "the agent's fee, % of contract value; with intermediaries: disclosed, this or "
        "agent_fee is required (both preferred)",
    ),
    _F("g2g.agent_fee", MONEY, "the agent's fee, as an amount"),
    _F(
        "g2g.agent_registration",
        TEXT,
        "the registration the agent holds (e.g. with the Ministry of Finance); required with "
        "intermediaries: disclosed",
    ),
    _F("g2g.integrity_pact", BOOL, "an integrity pact is signed"),
    _F("collaboration.partnership_years", COUNT, "length of the partnership offered, years"),
    _F("collaboration.local_jv_equity_pct", PERCENT, "local share of a joint venture, %"),
    _F("collaboration.post_warranty_mro_local", BOOL, "maintenance after warranty goes local"),
    _F("collaboration.export_rights", BOOL, "locally built items may be exported"),
    _F("collaboration.prior_contracts", COUNT, "earlier procurements between the governments"),
    _F("collaboration.track_record", CHOICE, "past-performance confidence", TRACK_RECORD),
    _F(
        "collaboration.commitment", CHOICE, "how binding the collaboration promises are", COMMITMENT
    ),
    _F(
        "risk.export_licence",
        CHOICE,
        "third-country content whose export, re-export or retransfer needs that country's "
        "licence: none, US ITAR, US EAR, or another country's",
        EXPORT_LICENCE,
    ),
    _F(
        "risk.sanctions",
        CHOICE,
        "sanctions exposure: none, in the supply chain, or the counterparty itself listed",
        SANCTIONS,
    ),
)

DERIVED_FIELDS: tuple[FieldSpec, ...] = (
    _F(
        "pricing.acquisition_cost",
        MONEY,
        "unit_price × quantity + one_off_costs, in the criteria currency",
        derived=True,
    ),
    _F(
        "pricing.lifecycle_cost",
        MONEY,
        "acquisition cost + sustainment discounted over the support years (NPV), "
        "in the criteria currency",
        derived=True,
    ),
    _F("technology_transfer.ip_rights_count", COUNT, "number of distinct IP rights", derived=True),
    _F(
        "industrial_collaboration.credit_value",
        MONEY,
        "ICP Credit Value (ICV): Σ activity value × its type's multiplier for its kind "
        "(× (1 + uplift) where claimed), in the criteria currency",
        derived=True,
    ),
    _F(
        "industrial_collaboration.credit_ratio_pct",
        PERCENT,
        "100 × ICP Credit Value (ICV) / acquisition cost (may exceed 100)",
        derived=True,
    ),
    _F(
        "industrial_collaboration.local_share_pct",
        PERCENT,
        "100 × ICV of local-content activities (work performed by Malaysian companies) / all "
        "ICV (0 when there is none)",
        derived=True,
    ),
    _F(
        "compliance.mandatory_met",
        BOOL,
        "every mandatory requirement of the criteria file answered `compliant`",
        derived=True,
    ),
    _F(
        "compliance.desirable_pct",
        PERCENT,
        "100 × the desirable requirements answered `compliant` (a `partial` counting half) / "
        "all desirable requirements",
        derived=True,
    ),
)

# The fields that describe an offer's agent (g2g.intermediaries says whether there is one).
AGENT_FIELDS = ("g2g.agent_name", "g2g.agent_fee_pct", "g2g.agent_fee", "g2g.agent_registration")
# Money fields are converted into the criteria currency before any rule sees them.
MONEY_FIELDS = tuple(f.name for f in PROPOSAL_FIELDS if f.kind == MONEY)
SECTIONS: dict[str, dict[str, FieldSpec]] = {}
for _spec in PROPOSAL_FIELDS:
    SECTIONS.setdefault(_spec.section, {})[_spec.key] = _spec
FREE_FORM_SECTIONS = ("technical",)
# A list of records, read by evaluator.model.icp rather than through this flat table.
ACTIVITY_SECTIONS = ("industrial_collaboration",)
# Answers to the criteria file's requirements, read by evaluator.model.compliance.
COMPLIANCE_SECTION = "compliance"
ALL_SECTIONS = (*SECTIONS, *ACTIVITY_SECTIONS, *FREE_FORM_SECTIONS, COMPLIANCE_SECTION)
# The answers a proposal gives to a requirement (`compliance.<requirement id>`).
COMPLIANCE_ANSWERS = ("compliant", "partial", "non_compliant")
FIELDS: dict[str, FieldSpec] = {f.name: f for f in (*PROPOSAL_FIELDS, *DERIVED_FIELDS)}
# Judgements come from panel files (evaluator.model.panel), never from a proposal.
JUDGEMENT_PATTERN = re.compile(r"^panel\.[A-Za-z_][A-Za-z0-9_]*$")


def field_spec(name: str) -> FieldSpec | None:
    """The spec of a field a criteria file may name: free-form ones ANY, `panel.*` JUDGEMENT."""
    spec = FIELDS.get(name)
    if spec is None and name.startswith("technical.") and len(name) > len("technical."):
        return FieldSpec(name, ANY, "programme-specific fact")
    if spec is None and name.startswith("compliance.") and ID_PATTERN.match(name[11:]):
        return FieldSpec(name, CHOICE, "the answer to a requirement", COMPLIANCE_ANSWERS)
    if spec is None and JUDGEMENT_PATTERN.match(name):
        return FieldSpec(name, JUDGEMENT, "a judgement rated by the evaluation panel")
    return spec
