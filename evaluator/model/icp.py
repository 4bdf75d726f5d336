"""Industrial collaboration as Malaysia values it (ICP): activities, multipliers and credits.

Under the Industrial Collaboration Programme (Ministry of Finance policy, administered by the
Technology Depository Agency) each activity a foreign supplier promises earns an ICP Credit
Value (ICV) of its nominal value times a multiplier for its type and kind (direct or
indirect), raised by the guideline's uplift (+0.2 on the multiplier) where the offer claims it.
A proposal lists its activities; the criteria file holds the multiplier table and the uplift.
Reading both is here; the credits are computed in derive.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evaluator.io.strict_yaml import PathKey
from evaluator.messages.criteria import (
    ACTIVITY_TYPE_NAME,
    EXPECTED_MULTIPLIER,
    NO_ACTIVITY_TYPES,
    NO_KINDS,
)
from evaluator.messages.proposal import EXPECTED_ACTIVITY_TYPE
from evaluator.messages.values import ACTIVITY_KIND, ACTIVITY_TYPE, KEY
from evaluator.model.checks import Checker, describe, dotted
from evaluator.model.ranges import Range, read_number

SECTION = "industrial_collaboration"
ACTIVITY_KEYS = ("type", "description", "value", "local", "kind", "beneficiary", "uplift")
# An activity is direct (part of the procurement) or indirect (outside it): the guideline's
# multiplier table has a column for each.
KINDS = ("direct", "indirect")
DIRECT = KINDS[0]
CREDIT_VALUE = f"{SECTION}.credit_value"
CREDIT_RATIO = f"{SECTION}.credit_ratio_pct"
LOCAL_SHARE = f"{SECTION}.local_share_pct"

# The multipliers of the worked examples in the ICP guideline: man-hours ×1, certification
# ×2, training-module development ×3, training ×4, technology transfer ×4, and IP transfer
# with commercialisation ×4 raised by a further ×1.2 (= 4.8).
DEFAULT_MULTIPLIERS: Mapping[str, float] = {
    "man_hours": 1.0,
    "certification": 2.0,
    "training_module_development": 3.0,
    "training": 4.0,
    "technology_transfer": 4.0,
    "ip_commercialisation": 4.8,
}
# The guideline's uplift: +0.2 on an activity's multiplier ("4 × (1 + 0.2)" in its worked
# case, on IPR transfer and commercialisation). Used when a criteria file gives no `uplift`.
DEFAULT_UPLIFT = 0.2
# A type's multiplier: one number for both kinds, or one per kind ({direct: x, indirect: y}).
Multiplier = float | Mapping[str, float]
TYPE_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Activity:
    """One promised industrial-collaboration activity, as the proposal states it."""

    type: str
    description: str
    value: float  # nominal, in the proposal's pricing.currency (a range's point estimate)
    local: bool
    index: int  # position in the list, to point at it in messages
    range: Range | None = None  # when the value is given as a range of estimates
    kind: str = DIRECT  # direct or indirect
    beneficiary: str | None = None  # the Malaysian company or institution that receives it
    uplift: bool = False  # the offer claims the guideline's uplift for it

    @property
    def path(self) -> PathKey:
        """Where the activity stands in the proposal file."""
        return (SECTION, "activities", self.index)

    @property
    def value_name(self) -> str:
        """Its value's dotted path, `industrial_collaboration.activities[2].value`."""
        return dotted((*self.path, "value"))


@dataclass(frozen=True, slots=True)
class IcpTable:
    """The criteria file's multiplier for each activity type."""

    multipliers: Mapping[str, Multiplier] = field(default_factory=lambda: dict(DEFAULT_MULTIPLIERS))
    defaults: bool = True  # the file had no `icp` section
    uplift: float = DEFAULT_UPLIFT  # added to the multiplier of an activity that claims it

    def multiplier(self, activity_type: str, kind: str) -> float | None:
        """The multiplier of an activity of this type and kind; None when there is none."""
        found = self.multipliers.get(activity_type)
        if found is None or isinstance(found, int | float):
            return found
        return found.get(kind)


@dataclass(frozen=True, slots=True)
class Credit:
    """One activity's ICP Credit Value: its value in the criteria currency times its
    multiplier (the table's, × (1 + uplift) when the activity claims the uplift)."""

    activity: Activity
    value: float  # in the criteria currency
    multiplier: float  # the one applied: base × (1 + uplift), or base
    base: float = 0.0  # the table's multiplier for the activity's type and kind
    uplift: float = 0.0  # the uplift applied (0 when not claimed)

    @property
    def credit(self) -> float:
        """Value × multiplier, in the criteria currency."""
        return self.value * self.multiplier


@dataclass(frozen=True, slots=True)
class IcpBreakdown:
    """A proposal's ICP credits activity by activity, and the figures derived from them."""

    currency: str  # the criteria currency
    offer_currency: str
    rate: float  # units of `currency` for one unit of `offer_currency`
    credits: tuple[Credit, ...]
    credit_value: float
    local_credit_value: float
    acquisition_cost: float | None  # in the criteria currency, when the proposal gives one
    credit_ratio_pct: float | None  # None when there is no acquisition cost to compare with
    local_share_pct: float
    uplift: float = DEFAULT_UPLIFT  # the criteria's uplift (applied where claimed)


def read_activities(check: Checker, raw: Any) -> tuple[Activity, ...] | None:
    """The `industrial_collaboration` section of a proposal: its list of activities."""
    body = check.mapping((SECTION,), raw, ("activities",), required=("activities",))
    if body is None or body.get("activities") is None:
        return None
    path: PathKey = (SECTION, "activities")
    items = check.listing(path, body["activities"])
    if items is None:
        return None
    activities: list[Activity] = []
    for i, item in enumerate(items):
        where = (*path, i)
        fields = check.mapping(
            where, item, ACTIVITY_KEYS, required=("type", "description", "value")
        )
        if fields is None:
            continue
        kind = _type_name(check, (*where, "type"), fields.get("type"))
        description = (
            check.text((*where, "description"), fields["description"])
            if fields.get("description") is not None
            else None
        )
        value = (
            read_number(check, (*where, "value"), fields["value"], minimum=0)
            if fields.get("value") is not None
            else None
        )
        local = (
            check.boolean((*where, "local"), fields["local"])
            if fields.get("local") is not None
            else False
        )
        direct = (
            check.choice((*where, "kind"), fields["kind"], KINDS)
            if fields.get("kind") is not None
            else DIRECT
        )
        beneficiary = (
            check.text((*where, "beneficiary"), fields["beneficiary"])
            if fields.get("beneficiary") is not None
            else None
        )
        uplift = (
            check.boolean((*where, "uplift"), fields["uplift"])
            if fields.get("uplift") is not None
            else False
        )
        if (
            kind is None
            or description is None
            or value is None
            or local is None
            or direct is None
            or uplift is None
            or (beneficiary is None and fields.get("beneficiary") is not None)
        ):
            continue  # a problem was reported
        estimate = value if isinstance(value, Range) else None
        point = value.point if isinstance(value, Range) else value
        activities.append(
            Activity(
                kind, description, float(point), local, i, estimate, direct, beneficiary, uplift
            )
        )
    return tuple(activities)


def read_table(check: Checker, raw: Any) -> IcpTable:
    """The `icp` section of a criteria file; the guideline's defaults when it has none."""
    if raw is None:
        return IcpTable()
    body = check.mapping(
        ("icp",), raw, ("multipliers", "uplift"), required=("multipliers",), what=KEY
    )
    if body is None or body.get("multipliers") is None:
        return IcpTable()
    uplift = DEFAULT_UPLIFT
    if body.get("uplift") is not None:
        read = check.number(("icp", "uplift"), body["uplift"], minimum=0)
        uplift = DEFAULT_UPLIFT if read is None else float(read)
    path: PathKey = ("icp", "multipliers")
    table = check.mapping(path, body["multipliers"], None, what=ACTIVITY_TYPE)
    if table is not None and not table:
        check.report(path, NO_ACTIVITY_TYPES)
    multipliers: dict[str, Multiplier] = {}
    for name, value in (table or {}).items():
        if not TYPE_NAME_PATTERN.match(name):
            check.report((*path, name), ACTIVITY_TYPE_NAME, key=True)
            continue
        multiplier = _multiplier(check, (*path, name), value)
        if multiplier is not None:
            multipliers[name] = multiplier
    return IcpTable(multipliers, defaults=False, uplift=uplift)


def _multiplier(check: Checker, path: PathKey, raw: Any) -> Multiplier | None:
    """A type's multiplier: a number (both kinds) or {direct: x, indirect: y} (one or both)."""
    if not isinstance(raw, dict):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            check.report(path, EXPECTED_MULTIPLIER(value=describe(raw)))
            return None
        number = check.number(path, raw, above=0)
        return None if number is None else float(number)
    body = check.mapping(path, raw, KINDS, what=ACTIVITY_KIND)
    if body is None:
        return None
    if not body:
        check.report(path, NO_KINDS)
        return None
    by_kind: dict[str, float] = {}
    for kind, value in body.items():
        if kind in KINDS:
            number = check.number((*path, kind), value, above=0)
            if number is not None:
                by_kind[kind] = float(number)
    return by_kind if len(by_kind) == len(body) else None


def _type_name(check: Checker, path: PathKey, raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str) and TYPE_NAME_PATTERN.match(raw):
        return raw
    check.report(path, EXPECTED_ACTIVITY_TYPE(value=describe(raw)))
    return None
