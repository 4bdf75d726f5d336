"""`--format xlsx`: a workbook a secretariat can audit (XlsxWriter, imported here only).

Sheets: Ranking (criterion scores and totals as live formulas, ranks by RANK), Weights
(the criteria file's weights, a what-if column to type into, the weights used as formulas),
Scores (every sub-criterion: value, rule, score, weight, factor, its explanation),
Inputs (every field value read, per offer), Gates (pass or fail, and why), Stages (a
staged run: who passed each stage, and why not) and Audit (tool, command, files and their
SHA-256). Headings are in English and Bahasa Malaysia (`HEADINGS`).

A criterion score is Σ sub-criterion weight × score × factor (the credibility factor, or
1), as the engine computes it; a total is Σ weight used × criterion score (the weighted
sum); the weights used follow `Criteria.weights`: a what-if weight is that percentage of
the total, and the criteria without one share the rest in the file's proportions. So
typing 40 as pricing's what-if weight gives the totals of `--weights pricing=40`.

Every text from the inputs is written as a string (`write_string`), never as a formula:
an offer's `=HYPERLINK(...)` is shown, not run.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from evaluator import __version__
from evaluator.errors import UsageError
from evaluator.render import RenderOptions
from evaluator.render.text.evidence import explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.numbers import show_value
from evaluator.scoring.results import Comparison, Evaluation

if TYPE_CHECKING:
    from evaluator.scoring.stages import Outcome, Staged

# The Malay of every heading, one table (it can move into the gettext catalogue as is).
# Procurement terms from /work/shared/spec/glossary-ms.md: verified there are tawaran,
# layak, kriteria, wajaran, markah, syarat wajib, jawatankuasa, sampul, jejak audit,
# peringkat (Penilaian Peringkat Pertama); partly verified: kedudukan, jumlah markah,
# lulus/gagal; UNVERIFIED below: the glossary's own unverified terms and the everyday
# words it does not list. A Malay-speaking procurement officer should check those.
HEADINGS: dict[str, str] = {
    "Ranking": "Kedudukan",
    "Weights": "Wajaran",
    "Scores": "Markah",
    "Inputs": "Input",
    "Gates": "Syarat wajib",
    "Stages": "Peringkat",
    "Audit": "Jejak audit",
    "Rank": "Kedudukan",
    "Proposal": "Tawaran",
    "Country": "Negara",
    "Eligible": "Layak",
    "Total": "Jumlah markah",
    "Total in the run": "Jumlah markah semasa penilaian",
    "Criterion": "Kriteria",
    "Title": "Tajuk",
    "Weight in the criteria file (%)": "Wajaran dalam fail kriteria (%)",
    "What-if weight (%)": "Wajaran bagaimana jika (%)",
    "Weight used": "Wajaran digunakan",
    "File weight if no what-if": "Wajaran fail jika tiada bagaimana jika",
    "Sum of what-if weights": "Jumlah wajaran bagaimana jika",
    "File weights of the rest": "Wajaran fail kriteria lain",
    "Scale when all are set": "Skala jika semua ditetapkan",
    "Sub-criterion": "Sub-kriteria",
    "Field": "Medan",
    "Value": "Nilai",
    "Unit": "Unit",
    "Rule": "Peraturan",
    "Score": "Markah",
    "Weight in criterion": "Wajaran dalam kriteria",
    "Factor": "Faktor",
    "Contribution": "Sumbangan",
    "Explanation": "Penjelasan",
    "File": "Fail",
    "Source": "Sumber",
    "Gate": "Syarat",
    "Requirement": "Keperluan",
    "Result": "Keputusan",
    "Pass": "Lulus",
    "Fail": "Gagal",
    "Yes": "Ya",
    "No": "Tidak",
    "Not ranked": "Tiada kedudukan",
    "Not considered": "Tidak dipertimbangkan",
    "Stage": "Peringkat",
    "Committee": "Jawatankuasa",
    "Envelope": "Sampul",
    "Stage score": "Markah peringkat",
    "Why not": "Sebab",
    "Item": "Perkara",
    "Tool": "Alat",
    "Generated (UTC)": "Dijana (UTC)",
    "Command": "Arahan",
    "Method": "Kaedah",
    "Criteria file": "Fail kriteria",
    "What-if": "Bagaimana jika",
    "offer": "tawaran",
    "derived": "diterbitkan",
    "Panel member": "Ahli panel",
    "Caveat": "Peringatan",
    "Not evaluated": "Tidak dinilai",
}

UNVERIFIED = frozenset(
    {
        "Wajaran bagaimana jika (%)",
        "Sub-kriteria",
        "Ahli panel",
        "Peringatan",
        "Tidak dinilai",
        "Tidak dipertimbangkan",
        "Jumlah markah semasa penilaian",
        "Wajaran fail jika tiada bagaimana jika",
        "Jumlah wajaran bagaimana jika",
        "Wajaran fail kriteria lain",
        "Skala jika semua ditetapkan",
        "Medan",
        "Peraturan",
        "Sumbangan",
        "Penjelasan",
        "diterbitkan",
        "Dijana (UTC)",
        "Alat",
    }
)

# Sheet names: English, as a formula names them (Weights!F2); the Malay is in the headings.
RANKING, WEIGHTS, SCORES, INPUTS, GATES, STAGES, AUDIT = (
    "Ranking",
    "Weights",
    "Scores",
    "Inputs",
    "Gates",
    "Stages",
    "Audit",
)
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def heading(english: str) -> str:
    """'Total / Jumlah markah': a heading in both languages."""
    return f"{english} / {HEADINGS[english]}"


def _cell(row: int, col: int, absolute: bool = False) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute))


def _generated() -> datetime:
    text = os.environ.get(EPOCH_VARIABLE)
    if text is None or not text.strip():
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(text.strip()), UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError.at(
            EPOCH_VARIABLE, f"expected whole seconds since 1970-01-01 UTC, got {text!r}"
        ) from None


class _Book:
    """The workbook being written, its formats, and where each criterion's weight is."""

    def __init__(self, generated: datetime, names: Sequence[str]) -> None:
        import xlsxwriter

        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.out,
            {
                "in_memory": True,
                # Text is text: never a formula, a number or a link made from it.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.book.set_properties(
            {"title": "evaluator", "comments": f"evaluator {__version__}", "created": generated}
        )
        self.bold = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.score = self.book.add_format({"num_format": "0.00"})
        self.share = self.book.add_format({"num_format": "0.00%"})
        self.input = self.book.add_format({"bg_color": "#FFF2CC", "border": 1})
        self.weight_cell: dict[str, str] = {}  # criterion id -> Weights!$E$n
        for name in names:  # in this order in the workbook; printed A4 landscape, a page wide
            sheet = self.book.add_worksheet(name)
            sheet.set_paper(9)
            sheet.set_landscape()
            sheet.fit_to_pages(1, 0)
            sheet.repeat_rows(0)
            sheet.hide_gridlines(0)

    def sheet(self, name: str, headings: Sequence[str], widths: Sequence[int]) -> Any:
        sheet = self.book.get_worksheet_by_name(name)
        for col, (text, width) in enumerate(zip(headings, widths, strict=True)):
            sheet.write_string(0, col, heading(text), self.bold)
            sheet.set_column(col, col, width)
        sheet.set_row(0, 60)
        sheet.freeze_panes(1, 0)
        return sheet

    def text(self, sheet: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
        sheet.write_string(row, col, str(value), fmt or self.wrap)

    def value(self, sheet: Any, row: int, col: int, value: object, field: str = "") -> None:
        """A field value: a number as a number, anything else as the text people read."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, col, float(value))
        elif value is None:
            sheet.write_blank(row, col, None)
        else:
            self.text(sheet, row, col, show_value(value, field))  # type: ignore[arg-type]

    def close(self) -> bytes:
        self.book.close()
        return self.out.getvalue()


def _weights(book: _Book, comparison: Comparison) -> None:
    criteria = comparison.criteria
    base = criteria.weights()
    given = comparison.what_if.weights if comparison.what_if is not None else None
    sheet = book.sheet(
        WEIGHTS,
        [
            "Criterion",
            "Title",
            "Weight in the criteria file (%)",
            "What-if weight (%)",
            "Weight used",
            "File weight if no what-if",
        ],
        [22, 40, 18, 18, 14, 18],
    )
    ids = [c.id for c in criteria.criteria]
    first, last = 1, len(ids)
    n = len(ids)
    total_row, rest_row, scale_row = n + 2, n + 3, n + 4
    what_ifs = f"$D${first + 1}:$D${last + 1}"
    for i, c in enumerate(criteria.criteria):
        row = i + 1
        book.text(sheet, row, 0, c.id)
        book.text(sheet, row, 1, c.title)
        sheet.write_number(row, 2, base[c.id] * 100)
        if given and c.id in given:
            sheet.write_number(row, 3, float(given[c.id]), book.input)
        else:
            sheet.write_blank(row, 3, None, book.input)
        d, cc = _cell(row, 3), _cell(row, 2)
        # Criteria.weights: a what-if weight is its percentage of the total (scaled to the
        # whole when every criterion has one); the rest share what is left in proportion.
        sheet.write_formula(
            row,
            4,
            f"=IF(ISBLANK({d}),{cc}*MAX(0,100-$C${total_row + 1})/$C${rest_row + 1},"
            f"{d}*$C${scale_row + 1})/100",
            book.share,
            comparison.weights[c.id],
        )
        sheet.write_formula(
            row,
            5,
            f"=IF(ISBLANK({d}),{cc},0)",
            None,
            0 if given and c.id in given else base[c.id] * 100,
        )
        book.weight_cell[c.id] = f"{WEIGHTS}!{_cell(row, 4, absolute=True)}"
    named = sum(given.values()) if given else 0.0
    rest = sum(base[k] * 100 for k in ids if not (given and k in given))
    for row in (total_row, rest_row, scale_row):
        sheet.set_row(row, 30)
    book.text(sheet, total_row, 1, heading("Sum of what-if weights"), book.bold)
    sheet.write_formula(total_row, 2, f"=SUM({what_ifs})", None, named)
    book.text(sheet, rest_row, 1, heading("File weights of the rest"), book.bold)
    sheet.write_formula(rest_row, 2, f"=SUM($F${first + 1}:$F${last + 1})", None, rest)
    book.text(sheet, scale_row, 1, heading("Scale when all are set"), book.bold)
    sheet.write_formula(
        scale_row, 2, f"=IF(COUNT({what_ifs})={n},100/$C${total_row + 1},1)", None, 1
    )


def _scores(book: _Book, evaluations: Sequence[Evaluation]) -> dict[tuple[str, str], str]:
    """Every sub-criterion score; gives each (offer, criterion) its criterion score formula."""
    sheet = book.sheet(
        SCORES,
        [
            "Proposal",
            "Criterion",
            "Sub-criterion",
            "Title",
            "Field",
            "Value",
            "Unit",
            "Rule",
            "Score",
            "Weight in criterion",
            "Factor",
            "Contribution",
            "Explanation",
        ],
        [16, 20, 22, 30, 26, 14, 8, 12, 10, 12, 8, 12, 60],
    )
    formulas: dict[tuple[str, str], str] = {}
    row = 1
    for e in evaluations:
        for c in e.criteria:
            start = row
            for leaf in c.leaves:
                book.text(sheet, row, 0, e.id)
                book.text(sheet, row, 1, c.id)
                book.text(sheet, row, 2, leaf.id)
                book.text(sheet, row, 3, leaf.title)
                book.text(sheet, row, 4, leaf.field)
                book.value(sheet, row, 5, leaf.value, leaf.field)
                book.text(sheet, row, 6, leaf.unit)
                book.text(sheet, row, 7, leaf.rule)
                sheet.write_number(row, 8, leaf.score, book.score)
                sheet.write_number(row, 9, leaf.weight)
                sheet.write_number(row, 10, leaf.factor)
                sheet.write_formula(
                    row,
                    11,
                    f"={_cell(row, 8)}*{_cell(row, 9)}*{_cell(row, 10)}",
                    book.score,
                    leaf.score * leaf.weight * leaf.factor,
                )
                book.text(sheet, row, 12, explanation(leaf))
                row += 1
            if row > start:
                span = f"{SCORES}!{_cell(start, 11, True)}:{_cell(row - 1, 11, True)}"
                formulas[(e.id, c.id)] = f"SUM({span})"
            else:
                formulas[(e.id, c.id)] = "0"
    sheet.autofilter(0, 0, max(row - 1, 1), 12)
    return formulas


def _ranking(
    book: _Book, comparison: Comparison, criterion_formulas: dict[tuple[str, str], str]
) -> None:
    criteria = comparison.criteria.criteria
    sheet = book.book.get_worksheet_by_name(RANKING)
    headings = [
        heading("Rank"),
        heading("Proposal"),
        heading("Country"),
        heading("Eligible"),
        heading("Total"),
        *(f"{c.id}: {c.title} / {HEADINGS['Score']}" for c in criteria),
        heading("Total in the run"),
    ]
    for col, text in enumerate(headings):
        sheet.write_string(0, col, text, book.bold)
        sheet.set_column(col, col, 18 if col else 12)
    sheet.set_row(0, 80)
    sheet.freeze_panes(1, 2)
    rows = sorted(comparison.evaluations, key=lambda e: not e.eligible)  # stable: ranked first
    eligible = sum(e.eligible for e in rows)
    totals = f"$E$2:$E${eligible + 1}"
    for i, e in enumerate(rows):
        row = i + 1
        book.text(sheet, row, 1, e.id)
        book.text(sheet, row, 2, e.proposal.country)
        book.text(sheet, row, 3, heading("Yes" if e.eligible else "No"))
        terms = []
        for j, c in enumerate(e.criteria):
            col = 5 + j
            sheet.write_formula(
                row, col, "=" + criterion_formulas[(e.id, c.id)], book.score, c.score
            )
            terms.append(f"{_cell(row, col)}*{book.weight_cell[c.id]}")
        total = _cell(row, 4)
        sheet.write_formula(row, 4, "=" + ("+".join(terms) or "0"), book.score, e.total)
        if e.eligible:
            sheet.write_formula(row, 0, f"=RANK({total},{totals},0)", None, e.rank or 0)
        else:
            book.text(sheet, row, 0, heading("Not ranked"))
        sheet.write_number(row, 5 + len(criteria), e.total, book.score)
    # The files that could not be evaluated: no spreadsheet shows the ranking without them.
    for i, file in enumerate(comparison.unevaluated, len(rows) + 1):
        book.text(sheet, i, 0, heading("Not evaluated"))
        book.text(sheet, i, 1, file)


def _inputs(book: _Book, proposals: Sequence[Any], evaluations: Sequence[Evaluation]) -> None:
    sheet = book.sheet(
        INPUTS, ["Proposal", "File", "Field", "Value", "Source"], [16, 36, 36, 30, 14]
    )
    derived = {e.id: e.derived for e in evaluations}
    row = 1
    for p in proposals:
        rows = [(f, v, "offer") for f, v in p.values.items()]
        rows += [(f, v, "derived") for f, v in derived.get(p.id, {}).items() if f not in p.values]
        for field, value, source in rows:
            book.text(sheet, row, 0, p.id)
            book.text(sheet, row, 1, p.file)
            book.text(sheet, row, 2, field)
            book.value(sheet, row, 3, value, field)
            book.text(sheet, row, 4, heading(source))
            row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), 4)


def _gates(book: _Book, evaluations: Sequence[Evaluation]) -> None:
    sheet = book.sheet(
        GATES,
        ["Proposal", "Gate", "Title", "Requirement", "Result", "Value"],
        [16, 22, 36, 50, 14, 40],
    )
    row = 1
    for e in evaluations:
        for g in e.gates:
            book.text(sheet, row, 0, e.id)
            book.text(sheet, row, 1, g.id)
            book.text(sheet, row, 2, g.title)
            book.text(sheet, row, 3, requirement(g.gate))
            book.text(sheet, row, 4, heading("Pass" if g.passed else "Fail"))
            book.text(sheet, row, 5, detail(g))
            row += 1


def _stages(book: _Book, staged: Staged) -> None:
    from evaluator.render.stages import reasons

    sheet = book.sheet(
        STAGES,
        ["Stage", "Committee", "Envelope", "Proposal", "Result", "Stage score", "Why not"],
        [14, 40, 12, 16, 16, 12, 70],
    )
    row = 1
    for result in staged.stages:
        stage = result.stage
        people: list[tuple[str, Outcome | None]] = [(o.id, o) for o in result.outcomes]
        people += [(ident, None) for ident in result.not_considered]
        for ident, outcome in people:
            book.text(sheet, row, 0, stage.id)
            book.text(sheet, row, 1, stage.title)
            book.text(sheet, row, 2, stage.envelope)
            book.text(sheet, row, 3, ident)
            if outcome is None:
                book.text(sheet, row, 4, heading("Not considered"))
            else:
                book.text(sheet, row, 4, heading("Pass" if outcome.passed else "Fail"))
                if outcome.score is not None:
                    sheet.write_number(row, 5, outcome.score, book.score)
                book.text(sheet, row, 6, "; ".join(reasons(outcome)))
            row += 1


def _audit(
    book: _Book,
    comparison: Comparison,
    options: RenderOptions,
    generated: datetime,
    proposals: Sequence[Any],
) -> None:
    import shlex

    from evaluator.render.run import caveat_sentences, what_if_terms

    sheet = book.sheet(AUDIT, ["Item", "Value"], [34, 80])
    criteria = comparison.criteria
    facts: list[tuple[str, str]] = [
        ("Tool", f"evaluator {__version__}"),
        ("Generated (UTC)", generated.strftime("%Y-%m-%d %H:%M:%S")),
        ("Command", shlex.join(options.command)),
        ("Method", comparison.method),
        ("What-if", what_if_terms(comparison.what_if)),
        ("Criteria file", criteria.file),
    ]
    row = 1
    for name, value in facts:
        book.text(sheet, row, 0, heading(name), book.bold)
        book.text(sheet, row, 1, value)
        row += 1
    book.text(sheet, row, 0, "SHA-256", book.bold)
    book.text(sheet, row, 1, criteria.sha256)
    row += 1
    for sentence in caveat_sentences(comparison):  # why the result is provisional
        book.text(sheet, row, 0, heading("Caveat"), book.bold)
        book.text(sheet, row, 1, sentence)
        row += 1
    row += 1
    for col, text in enumerate([heading("Proposal"), heading("File"), "SHA-256"]):
        sheet.write_string(row, col, text, book.bold)
    sheet.set_column(2, 2, 68)
    row += 1
    files = options.files or tuple((p.id, p.file, p.sha256) for p in proposals)
    for ident, file, sha256 in sorted(files, key=lambda f: f[1]):
        book.text(sheet, row, 0, ident)
        book.text(sheet, row, 1, file)
        book.text(sheet, row, 2, sha256)
        row += 1
    panel = comparison.panel
    if panel is not None:
        row += 1
        for col, text in enumerate([heading("Panel member"), heading("File"), "SHA-256"]):
            sheet.write_string(row, col, text, book.bold)
        row += 1
        for member in panel.members:
            book.text(sheet, row, 0, member.label)
            book.text(sheet, row, 1, member.file)
            book.text(sheet, row, 2, member.sha256)
            row += 1


def _workbook(
    comparison: Comparison,
    options: RenderOptions,
    staged: Staged | None = None,
) -> bytes:
    if comparison.method != "wsm":
        raise UsageError.at(
            "--format",
            "xlsx gives the weighted sum as formulas; "
            f"the method {comparison.method} has none (use --method wsm)",
        )
    generated = _generated()
    names = [RANKING, WEIGHTS, SCORES, INPUTS, GATES, *([STAGES] if staged else []), AUDIT]
    book = _Book(generated, names)
    proposals = (
        staged.proposals if staged is not None else [e.proposal for e in comparison.evaluations]
    )
    _weights(book, comparison)  # first: the ranking's formulas name its cells
    formulas = _scores(book, comparison.evaluations)
    _ranking(book, comparison, formulas)
    _inputs(book, proposals, comparison.evaluations)
    _gates(book, comparison.evaluations)
    if staged is not None:
        _stages(book, staged)
    _audit(book, comparison, options, generated, proposals)
    return book.close()


def render(comparison: Comparison, options: RenderOptions) -> bytes:
    """The comparison as a workbook (bytes)."""
    return _workbook(comparison, options)


def render_card(comparison: Comparison, options: RenderOptions) -> bytes:
    """One proposal's score as a workbook: the comparison's, with one offer."""
    return _workbook(comparison, options)


def render_staged(staged: Staged, options: RenderOptions) -> bytes:
    """A staged run: the weighted evaluation among the offers that passed every stage, with
    a Stages sheet (every offer at every stage, and why it did not pass)."""
    from evaluator.render.stages_data import final_or_empty

    return _workbook(final_or_empty(staged), options, staged)
