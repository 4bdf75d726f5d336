"""A negotiation round: what each change between two versions of one offer did to its score.

Pure: two proposals (OLD and NEW), the criteria and the field of other offers in; a
`Diff` out, as facts. The changed fields are every `values` key that differs or is given
in one only (a ranged figure compared as its range), the ICP activities list as one
field (`industrial_collaboration.activities`) and each compliance answer as one
(`compliance.<id>`). A *hybrid* is OLD with a subset of the changes taken from NEW; it is
scored by the engine (`scoring.engine`: `prepare`, the pool's `Context`, `leaf_points`,
`criterion_score`, `total_score`), always in the same field, never re-parsed. Each
change's share of the total change is its Shapley value over the changed fields: exact
over every subset up to `EXACT_UP_TO` changes, else the mean of its marginal change over
`samples` random orders (seeded), whose telescoping sums keep the shares adding up to the
total change; each sampled share comes with its standard error.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.messages.scoring import HYBRID_UNSCORABLE
from evaluator.model.compliance import SECTION as COMPLIANCE
from evaluator.model.compliance import Answer
from evaluator.model.criteria import Criteria, Criterion
from evaluator.model.fields import MONEY_FIELDS, Value
from evaluator.model.icp import Activity
from evaluator.model.method import ALL, Method
from evaluator.model.notes import DIFF_OTHER_ID, STAGES_NOT_RUN, Note
from evaluator.model.panel import Panel, is_judgement
from evaluator.model.proposal import Proposal
from evaluator.model.ranges import Range
from evaluator.scoring.derive import ACTIVITIES, derive
from evaluator.scoring.engine import (
    Context,
    criterion_score,
    evaluate,
    leaf_points,
    prepare,
    score_prepared,
    total_score,
)
from evaluator.scoring.results import Evaluation, Prepared, WhatIf

EXACT_UP_TO = 12  # changes: every subset (2^12 = 4,096 hybrids) is scored
DEFAULT_SAMPLES = 200  # random orders of the changes, beyond EXACT_UP_TO
_PRICING, IP_RIGHTS = "pricing.", "technology_transfer.ip_rights"
CURRENCY = "pricing.currency"
VALUE, LIST, ANSWER = "value", "activities", "answer"  # what a changed field is


@dataclass(frozen=True, slots=True)
class Change:
    """One changed field: its value in OLD and in NEW (None: not given there). A value is
    a field's value (a `Range` for a ranged figure), the activities list, or an `Answer`."""

    field: str
    old: Any
    new: Any
    kind: str = VALUE


@dataclass(frozen=True, slots=True)
class Share:
    """A change and what it did to the total: its Shapley value, in points of the total."""

    change: Change
    value: float
    error: float | None = None  # its standard error when sampled; None when exact
    # The same split by criterion (weighted sum only: points of the total each criterion's
    # contribution moved); empty with another method.
    criteria: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """One criterion's score (0-100) in OLD and NEW, and its contribution's change."""

    id: str
    title: str
    old: float
    new: float
    change: float  # in points of the total: weight × (new − old)


@dataclass(frozen=True, slots=True)
class GateChange:
    """A gate whose outcome changed: passed in OLD, in NEW."""

    id: str
    title: str
    old: bool
    new: bool


@dataclass(slots=True)
class Diff:
    """The round's result: OLD and NEW evaluated in the field (each rank among the field and
    itself), the changes with their shares of the total change, the criteria and gates
    that moved."""

    criteria: Criteria
    method: str
    old: Evaluation  # OLD in field + OLD
    new: Evaluation  # NEW in field + NEW (under OLD's id)
    old_file: str
    new_file: str
    new_id: str
    shares: list[Share]
    exact: bool
    samples: int | None  # random orders drawn, when not exact
    seed: int | None
    against: list[str]  # the ids of the other offers (the field), in the order given
    criterion_changes: list[CriterionChange]
    gate_changes: list[GateChange]
    notes: list[Note] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # field files not evaluated
    what_if: WhatIf | None = None
    hybrids: int = 0  # hybrids scored

    @property
    def total_change(self) -> float:
        return self.new.total - self.old.total

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive: NEW ranks better); None when either is not ranked."""
        if self.old.rank is None or self.new.rank is None:
            return None
        return self.old.rank - self.new.rank


def changes(old: Proposal, new: Proposal, rate: Rate | None = None) -> list[Change]:
    """The fields that differ between OLD and NEW, in the order OLD then NEW give them.
    When the rounds are priced in two currencies, money (figures and ICP activities) is
    compared in one, at `rate` (the criteria's: units of the criteria currency for one
    unit of a currency): the same sum in the other currency is no change."""
    found: list[Change] = []
    exchange = _exchange(old, new, rate)
    for name in dict.fromkeys([*old.values, *new.values]):
        a, b = _given(old, name), _given(new, name)
        if exchange is not None and name in MONEY_FIELDS and a is not None and b is not None:
            same = _in(a, exchange[0]) == _in(b, exchange[1])
        else:
            same = _same(a, b)
        if not same:
            found.append(Change(name, a, b))
    a_list, b_list = old.activities or None, new.activities or None
    if exchange is not None and a_list and b_list:
        a_list, b_list = _scaled(a_list, exchange[0]), _scaled(b_list, exchange[1])
    if a_list != b_list:
        found.append(Change(ACTIVITIES, old.activities, new.activities, LIST))
    a_answers, b_answers = old.compliance or {}, new.compliance or {}
    for ident in dict.fromkeys([*a_answers, *b_answers]):
        if a_answers.get(ident) != b_answers.get(ident):
            found.append(
                Change(f"{COMPLIANCE}.{ident}", a_answers.get(ident), b_answers.get(ident), ANSWER)
            )
    return found


# Units of the criteria currency for one unit of a currency; None: no rate for it.
Rate = Callable[[str], "float | None"]


def _exchange(old: Proposal, new: Proposal, rate: Rate | None) -> tuple[float, float] | None:
    """The rates of OLD's and NEW's currencies when they differ and both are known."""
    a, b = old.values.get(CURRENCY), new.values.get(CURRENCY)
    if rate is None or a is None or b is None or a == b:
        return None
    first, second = rate(str(a)), rate(str(b))
    return None if first is None or second is None else (first, second)


def _in(value: Any, factor: float) -> Any:
    """A money figure (or range) in the criteria currency, rounded off float noise."""
    if isinstance(value, Range):
        scaled = value.scaled(factor)
        return (_round(scaled.low), _round(scaled.high), _round(scaled.likely))
    return _round(value * factor) if isinstance(value, int | float) else value


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.12g}")


def _scaled(activities: tuple[Activity, ...], factor: float) -> tuple[Activity, ...]:
    return tuple(
        replace(
            a,
            value=a.value * factor,
            range=None if a.range is None else a.range.scaled(factor),
        )
        for a in activities
    )


def _given(proposal: Proposal, name: str) -> Any:
    """A field as the offer gives it: its range when ranged, else its value (None: not)."""
    return proposal.ranges.get(name, proposal.values.get(name))


def _same(a: Any, b: Any) -> bool:
    # true is not 1, and a range is not its point estimate.
    return (type(a) is type(b) and a == b) or (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def hybrid(
    old: Proposal, new: Proposal, found: Sequence[Change], mask: int, rate: Rate | None = None
) -> Proposal:
    """OLD with the changes whose bit is set in `mask` taken from NEW (OLD's id and file).
    When the rounds are priced in two currencies (`rate` as for `changes`), every money
    figure of the mix is converted into the mix's own currency from its round's."""
    values, ranges = dict(old.values), dict(old.ranges)
    taken: set[str] = set()
    activities = old.activities
    compliance: dict[str, Answer] | None = None if old.compliance is None else dict(old.compliance)
    for i, change in enumerate(found):
        if not mask >> i & 1:
            continue
        taken.add(change.field)
        if change.kind == LIST:
            activities = new.activities
        elif change.kind == ANSWER:
            ident = change.field.split(".", 1)[1]
            compliance = dict(compliance or {})
            if change.new is None:
                compliance.pop(ident, None)
            else:
                compliance[ident] = change.new
        else:
            name = change.field
            if name in new.values:
                values[name] = new.values[name]
            else:
                values.pop(name, None)
            if name in new.ranges:
                ranges[name] = new.ranges[name]
            else:
                ranges.pop(name, None)
    exchange = _exchange(old, new, rate)
    if exchange is not None:
        mine = exchange[1] if CURRENCY in taken else exchange[0]
        for name in MONEY_FIELDS:
            if name in values:
                factor = (exchange[1] if name in taken else exchange[0]) / mine
                if factor != 1.0:
                    values[name] = float(values[name]) * factor  # type: ignore[arg-type]
                    if name in ranges:
                        ranges[name] = ranges[name].scaled(factor)
        factor = (exchange[1] if ACTIVITIES in taken else exchange[0]) / mine
        if activities and factor != 1.0:
            activities = _scaled(activities, factor)
    return replace(old, values=values, ranges=ranges, activities=activities, compliance=compliance)


def _pointed(proposal: Proposal) -> Proposal:
    """The same offer at its point estimates without the ranges (the scores are the same;
    the ranged figures' ends are not derived again for every hybrid)."""
    activities = proposal.activities
    if activities is not None:
        activities = tuple(a if a.range is None else _unranged(a) for a in activities)
    return replace(proposal, ranges={}, activities=activities)


def _unranged(activity: Activity) -> Activity:
    return replace(activity, range=None)


class Unscorable(InputError):
    """A hybrid of OLD and NEW that the engine cannot score: each problem says which
    changes it takes from NEW (`fields`)."""

    def __init__(self, problems: Sequence[Problem], fields: Sequence[str]) -> None:
        super().__init__(
            [
                Problem(
                    p.file,
                    HYBRID_UNSCORABLE(fields=tuple(fields), problem=p.words),
                    p.line,
                    p.column,
                )
                for p in problems
            ]
        )
        self.fields = tuple(fields)


def diff(
    old: Proposal,
    new: Proposal,
    criteria: Criteria,
    others: Sequence[Prepared] = (),
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    panel: Panel | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    errors: Sequence[Problem] = (),
) -> Diff:
    """What each change from OLD to NEW did to the offer's total in the field of `others`
    (prepared against `criteria`; an offer with OLD's or NEW's id is left out).
    InputError when OLD, NEW or a hybrid of them cannot be scored."""
    chosen = method or criteria.method
    primary = criteria.method if chosen == ALL else chosen
    top_weights = criteria.weights(weights)
    pool = [p for p in others if p.proposal.id not in (old.id, new.id) and not p.problems]
    found = changes(old, new, criteria.rate)
    whole = (1 << len(found)) - 1
    old_side = _in_field(prepare(old, criteria), pool, criteria, weights, primary, panel)
    # NEW under OLD's id: its problems located in its own file, its total that of the
    # hybrid taking every change.
    new_side = _in_field(
        prepare(replace(new, id=old.id), criteria), pool, criteria, weights, primary, panel
    )
    game = _Game(old, new, found, criteria, pool, top_weights, primary, panel, weights, old_side)
    game.check_shortcut()
    for mask, side in ((0, old_side), (whole, new_side)):
        total = game.value(mask)[0]
        if abs(total - side.total) > 1e-9:  # the same engine must give the same total
            raise AssertionError(f"hybrid {mask} scores {total}, not {side.total}")
    exact = len(found) <= EXACT_UP_TO
    if exact:
        values, errs = _exact(len(found), game.value), None
    else:
        values, errs = _sampled(len(found), game.value, samples, seed)
    ids = [c.id for c in criteria.criteria]
    shares = [
        Share(
            change,
            vector[0],
            None if errs is None else errs[i],
            dict(zip(ids, vector[1:], strict=True)) if len(vector) > 1 else {},
        )
        for i, (change, vector) in enumerate(zip(found, values, strict=True))
    ]
    notes: list[Note] = []
    if new.id != old.id:
        notes.append(Note(DIFF_OTHER_ID, {"old": old.id, "new": new.id}))
    if criteria.stages:
        notes.append(Note(STAGES_NOT_RUN, {"stages": tuple(s.id for s in criteria.stages)}))
    return Diff(
        criteria,
        primary,
        old_side,
        new_side,
        old.file,
        new.file,
        new.id,
        shares,
        exact,
        None if exact else samples,
        None if exact else seed,
        [p.proposal.id for p in pool],
        _criterion_changes(old_side, new_side),
        _gate_changes(old_side, new_side),
        notes,
        list(errors),
        WhatIf.of(criteria, weights, method),
        len(game.cache),
    )


def _in_field(
    item: Prepared,
    pool: Sequence[Prepared],
    criteria: Criteria,
    weights: Mapping[str, float] | None,
    method: str,
    panel: Panel | None,
) -> Evaluation:
    """The offer evaluated among the field: its evaluation, ranked among them."""
    if item.problems:
        raise InputError(list(item.problems))
    run = evaluate([*pool, item], criteria, weights, method, panel=panel)
    mine = next((e for e in run.evaluations if e.proposal is item.proposal), None)
    if mine is None:
        raise InputError(run.errors)
    return mine


Vector = tuple[float, ...]  # a total, then (weighted sum) each criterion's contribution


class _Game:
    """The value of each coalition of changes: the total of the hybrid that takes them from
    NEW, scored in the field (memoised by the coalition's bits)."""

    def __init__(
        self,
        old: Proposal,
        new: Proposal,
        found: Sequence[Change],
        criteria: Criteria,
        pool: Sequence[Prepared],
        top_weights: Mapping[str, float],
        method: str,
        panel: Panel | None,
        weights: Mapping[str, float] | None,
        old_side: Evaluation,
    ) -> None:
        self.old, self.new = _pointed(old), _pointed(new)
        self.found = found
        self.criteria, self.pool, self.top_weights = criteria, list(pool), top_weights
        self.method, self.panel, self.weights = method, panel, weights
        self.cache: dict[int, Vector] = {}
        # A panel judgement depends on the offer's id only: the same in every hybrid.
        self.judged = {
            f"{c.id}.{leaf.id}": leaf.score
            for c in old_side.criteria
            for leaf in c.leaves
            if is_judgement(leaf.field)
        }
        # The changes `derive` reads to compute values (see `_derived`), by their bits.
        self.computed = sum(
            1 << i
            for i, change in enumerate(found)
            if change.kind != VALUE
            or change.field.startswith(_PRICING)
            or change.field in MONEY_FIELDS
            or change.field == IP_RIGHTS
        )
        self.bases: dict[int, dict[str, Value]] = {}
        self.shortcut = True
        self.relative = any(leaf.rule.relative for _, leaf in criteria.leaves())
        self.context = Context(top_weights, {}, len(self.pool) + 1, panel)  # no references
        # Each criterion's score depends on the values its leaves and credibility read (and,
        # with relative rules, on the references): memoised by them.
        self.plans: list[tuple[Criterion, Mapping[str, float], tuple[str, ...], dict[Any, float]]]
        self.plans = [
            (
                criterion,
                criterion.leaf_weights(),
                tuple(leaf.field for leaf in criterion.leaves)
                + ((criterion.credibility.field,) if criterion.credibility else ()),
                {},
            )
            for criterion in criteria.criteria
        ]

    def value(self, mask: int) -> Vector:
        found = self.cache.get(mask)
        if found is None:
            found = self.cache[mask] = self._score(mask)
        return found

    def _score(self, mask: int) -> Vector:
        proposal = hybrid(self.old, self.new, self.found, mask, self.criteria.rate)
        if self.method != Method.WSM or self.relative:
            # The others' scores (another method) or the references (relative rules)
            # depend on this hybrid, and the references on whether it passes the gates.
            item = prepare(proposal, self.criteria)
        else:  # only its own values count: the gates are not decided again
            try:
                item = Prepared(proposal, self._derived(mask, proposal))
            except Unscorable:
                raise
            except InputError as exc:
                item = Prepared(proposal, problems=tuple(exc.problems))
        if item.problems:
            raise Unscorable(item.problems, self._fields(mask))
        if self.method != Method.WSM:
            run = evaluate(
                [*self.pool, item], self.criteria, self.weights, self.method, panel=self.panel
            )
            mine = next((e for e in run.evaluations if e.proposal is item.proposal), None)
            if mine is None:
                raise Unscorable(run.errors, self._fields(mask))
            return (mine.total,)
        context = self.context
        if self.relative:  # the hybrid sets the references with the field
            context = Context.of(self.criteria, self.top_weights, [*self.pool, item], self.panel)
        try:
            return self._weighted(item, context)
        except InputError as exc:
            raise Unscorable(exc.problems, self._fields(mask)) from None

    def _derived(self, mask: int, proposal: Proposal) -> dict[str, Value]:
        """The hybrid's values as the engine derives them (`derive`). What derive computes
        (money converted, costs, ICP credits, compliance) is derived once for each set of
        the changes it reads (pricing, money, ip_rights, activities, answers); the other
        changed values pass through. Checked against a derivation of the whole hybrid for
        no change, each one alone and all of them; if any differs, every hybrid is derived
        whole."""
        if not self.shortcut:
            return derive(proposal, self.criteria).values
        inner = mask & self.computed
        base = self.bases.get(inner)
        if base is None:
            mix = hybrid(self.old, self.new, self.found, inner, self.criteria.rate)
            try:
                base = derive(mix, self.criteria).values
            except InputError as exc:  # that mix of the changes derive reads
                raise Unscorable(exc.problems, self._fields(inner)) from None
            self.bases[inner] = base
        values = dict(base)
        given = proposal.values
        for i, change in enumerate(self.found):
            if mask >> i & 1 and not self.computed >> i & 1:
                if change.field in given:
                    values[change.field] = given[change.field]
                else:
                    values.pop(change.field, None)
        return values

    def check_shortcut(self) -> None:
        """Turn the shortcut of `_derived` off if it differs from `derive` anywhere checked."""
        whole = (1 << len(self.found)) - 1
        for mask in {0, whole, *(1 << i for i in range(len(self.found)))}:
            proposal = hybrid(self.old, self.new, self.found, mask, self.criteria.rate)
            try:
                direct = derive(proposal, self.criteria).values
                shortcut = self._derived(mask, proposal)
            except InputError:
                continue  # said when that hybrid is scored
            if shortcut != direct:
                self.shortcut = False
                return

    def _fields(self, mask: int) -> list[str]:
        return [c.field for i, c in enumerate(self.found) if mask >> i & 1]

    def _weighted(self, item: Prepared, context: Context) -> Vector:
        """The weighted-sum total and each criterion's contribution, by the engine's
        functions on the leaves' values; anything else than a plain score (a value the
        rule refuses, a missing value that is an error) is the engine's `score_prepared`."""
        values, references = item.values, context.references
        scores: list[float] = []
        for criterion, leaf_weights, reads, memo in self.plans:
            key = tuple(values.get(name) for name in reads)
            if self.relative:
                key += tuple(sorted(references.items()))  # type: ignore[arg-type]
            score = memo.get(key)
            if score is None:
                score = self._criterion(criterion, leaf_weights, values, references)
                if score is None:
                    return _full(item, self.criteria, context)
                memo[key] = score
            scores.append(score)
        weights = [context.weights[c.id] for c in self.criteria.criteria]
        total = float(total_score(weights, scores))
        return (total, *(w * s for w, s in zip(weights, scores, strict=True)))

    def _criterion(
        self,
        criterion: Criterion,
        leaf_weights: Mapping[str, float],
        values: Mapping[str, Value],
        references: Mapping[str, Any],
    ) -> float | None:
        """One criterion's score of these values; None when a leaf is not a plain score."""
        points: list[float] = []
        for leaf in criterion.leaves:
            where = f"{criterion.id}.{leaf.id}"
            if where in self.judged:
                points.append(self.judged[where])
                continue
            rule, value = leaf.rule, values.get(leaf.field)
            if value is None:
                if rule.raw or self.criteria.missing == "error":
                    return None
                points.append(0.0)
                continue
            if rule.needs(value) is not None:
                return None
            scored = float(value) if rule.numeric else value  # type: ignore[arg-type]
            reference = references.get(where, scored) if rule.relative else None
            points.append(leaf_points(rule, scored, reference))  # type: ignore[arg-type]
        credibility = criterion.credibility
        factor, discounted = 1.0, None
        if credibility is not None:
            factor = credibility.factor(values.get(credibility.field))
            discounted = [bool(credibility.discounts(leaf.id)) for leaf in criterion.leaves]
        weights = [leaf_weights[leaf.id] for leaf in criterion.leaves]
        return float(criterion_score(factor, weights, points, discounted))


def _full(item: Prepared, criteria: Criteria, context: Context) -> Vector:
    evaluation = score_prepared(item, criteria, context)  # InputError when it cannot be
    return (evaluation.total, *(c.contribution for c in evaluation.criteria))


def _exact(n: int, value: Callable[[int], Vector]) -> list[Vector]:
    """Each player's Shapley value over every coalition: Σ |S|!(n−|S|−1)!/n! × the
    marginal change of adding it to S (plain Python: 12 players are 24,576 terms)."""
    if n == 0:
        return []
    count = 1 << n
    table = [value(mask) for mask in range(count)]
    sizes = [mask.bit_count() for mask in range(count)]
    factor = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
    width = len(table[0])
    result: list[Vector] = []
    for i in range(n):
        bit = 1 << i
        sums = [0.0] * width
        for mask in range(count):
            if mask & bit:
                continue
            weight, before, after = factor[sizes[mask]], table[mask], table[mask | bit]
            for k in range(width):
                sums[k] += weight * (after[k] - before[k])
        result.append(tuple(sums))
    return result


def _sampled(
    n: int, value: Callable[[int], Vector], samples: int, seed: int
) -> tuple[list[Vector], list[float | None]]:
    """Each player's mean marginal change over `samples` random orders (seeded), and its
    standard error; in every order the marginal changes add up to v(all) − v(none)."""
    rng = random.Random(seed)
    width = len(value(0))
    sums = [[0.0] * width for _ in range(n)]
    totals: list[list[float]] = [[] for _ in range(n)]
    for _ in range(samples):
        order = list(range(n))
        rng.shuffle(order)
        mask, before = 0, value(0)
        for i in order:
            mask |= 1 << i
            after = value(mask)
            step = [a - b for a, b in zip(after, before, strict=True)]
            sums[i] = [s + x for s, x in zip(sums[i], step, strict=True)]
            totals[i].append(step[0])
            before = after
    means = [tuple(s / samples for s in row) for row in sums]
    errors: list[float | None] = []
    for marginals in totals:
        if samples < 2:
            errors.append(None)
            continue
        mean = sum(marginals) / samples
        variance = sum((x - mean) ** 2 for x in marginals) / (samples - 1)
        errors.append(math.sqrt(variance / samples))
    return means, errors


def _criterion_changes(old: Evaluation, new: Evaluation) -> list[CriterionChange]:
    after = {c.id: c for c in new.criteria}
    return [
        CriterionChange(
            c.id, c.title, c.score, after[c.id].score, after[c.id].contribution - c.contribution
        )
        for c in old.criteria
        if c.id in after
    ]


def _gate_changes(old: Evaluation, new: Evaluation) -> list[GateChange]:
    after = {g.id: g for g in new.gates}
    return [
        GateChange(g.id, g.title, g.passed, after[g.id].passed)
        for g in old.gates
        if g.id in after and after[g.id].passed != g.passed
    ]
