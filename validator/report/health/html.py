"""The health report as one self-contained HTML page: inline CSS and SVG, no script, nothing
loaded from the network. A pure function of the figures (aggregate.Health) and options."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from validator.model.finding import Finding
from validator.report.health.aggregate import Health, RuleCount
from validator.report.health.charts import bar_chart

LISTED = 50  # new or fixed findings listed one by one under --compare

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1a1a;
background:#fff;margin:0 auto;max-width:1100px;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 .2rem}h2{font-size:1.25rem;border-bottom:2px solid #1f4e99;
padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.meta{color:#444;margin:0 0 1rem}
.totals{display:flex;flex-wrap:wrap;gap:.6rem;margin:0;padding:0}
.totals div{border:1px solid #c8c8c8;border-radius:6px;padding:.45rem .8rem;min-width:7.5rem}
.totals dt{font-size:.8rem;color:#444}.totals dd{margin:0;font-size:1.35rem;font-weight:600}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#eef2f8}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#f7f7f7}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;background:#f1f1f1;padding:0 .2rem}
a{color:#0b4fae}.chart{display:block;max-width:100%;height:auto;margin:.3rem 0}
.chart .label,.chart .legend{font:12px system-ui,sans-serif;fill:#1a1a1a}
.chart .number{font:11px system-ui,sans-serif;fill:#1a1a1a}
.none{color:#444;font-style:italic}
"""


@dataclass(frozen=True)
class HealthOptions:
    title: str = "monolint health report"
    link_prefix: str = ""  # put before a page's path (URL-quoted) to link to it from the report's folder
    generated: str = ""  # a line saying what was checked, when, with which monolint


def render(health: Health, options: HealthOptions) -> str:
    return "".join(_page(health, options))


def _page(health: Health, options: HealthOptions) -> Iterator[str]:
    yield '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield f"<title>{escape(options.title)}</title><style>{_CSS}</style></head><body>\n"
    yield f"<h1>{escape(options.title)}</h1>"
    if options.generated:
        yield f'<p class="meta">{escape(options.generated)}</p>'
    yield from _totals(health)
    yield from _rules(health)
    yield from _worst(health, options)
    yield from _sections(health)
    yield from _doses(health, options)
    if health.baseline is not None:
        yield from _baseline(health)
    if health.comparison is not None:
        yield from _comparison(health, options)
    yield "\n</body></html>\n"


def _totals(health: Health) -> Iterator[str]:
    summary = health.summary.to_dict()
    labels = (
        ("files", "pages checked"),
        ("files_with_findings", "pages with findings"),
        ("findings", "findings"),
        ("errors", "errors"),
        ("warnings", "warnings"),
        ("info", "info"),
        ("fixable", "fixable"),
    )
    yield '<section id="totals"><h2>Totals</h2><dl class="totals">'
    for key, label in labels:
        value = summary[key]
        yield f'<div><dt>{label}</dt><dd data-total="{key}">{value:,}</dd></div>'
    yield "</dl>"
    if health.summary.skipped:
        yield f'<p class="meta">{health.summary.skipped:,} files out of the content model\'s scope were skipped.</p>'
    yield "</section>\n"


def _rule_cell(rule_id: str, name: str) -> str:
    return f"<td><code>{escape(rule_id)}</code> {escape(name)}</td>"


def _rules(health: Health) -> Iterator[str]:
    yield '<section id="rules"><h2>Findings by rule</h2>'
    if not health.by_category:
        yield '<p class="none">No findings.</p>'
    for category, rows in health.by_category:
        yield f"<h3>{escape(category)}</h3>"
        title = f"Findings and pages per rule, {category} rules"
        yield bar_chart(f"rules-{category}", title, ("findings", "pages"), [_bar(row) for row in rows])
        yield f'<table data-table="rules-{escape(category)}"><caption class="meta">{escape(title)}</caption>'
        yield '<thead><tr><th>rule</th><th>summary</th><th class="n">findings</th><th class="n">pages</th></tr></thead><tbody>'
        for row in rows:
            rule = row.rule
            yield (
                f'<tr data-rule="{escape(rule.id)}">{_rule_cell(rule.id, rule.name)}<td>{escape(rule.summary)}</td>'
                f'<td class="n" data-findings="{row.findings}">{row.findings:,}</td>'
                f'<td class="n" data-pages="{row.pages}">{row.pages:,}</td></tr>'
            )
        yield "</tbody></table>"
    yield "</section>\n"


def _bar(row: RuleCount) -> tuple[str, tuple[int, int]]:
    return f"{row.rule.id} {row.rule.name}", (row.findings, row.pages)


def _link(path: str, line: int, options: HealthOptions) -> str:
    # A page outside the folder the run started in is shown by its absolute path.
    target = "file://" + quote(path) if path.startswith("/") else options.link_prefix + quote(path)
    href = escape(target, quote=True)
    return f'<a href="{href}">{escape(path)}</a>:{line}'


def _worst(health: Health, options: HealthOptions) -> Iterator[str]:
    yield '<section id="worst"><h2>Pages to fix first</h2>'
    if not health.worst:
        yield '<p class="none">No page has findings.</p></section>\n'
        return
    yield '<p class="meta">The pages with the most errors (then the most findings); the line is their first error.</p>'
    yield '<table data-table="worst"><thead><tr><th>page and line</th><th class="n">errors</th><th class="n">findings</th></tr></thead><tbody>'
    for page in health.worst:
        yield (
            f'<tr data-path="{escape(page.path)}"><td>{_link(page.path, page.first_line, options)}</td>'
            f'<td class="n">{page.errors:,}</td><td class="n">{page.findings:,}</td></tr>'
        )
    yield "</tbody></table></section>\n"


def _sections(health: Health) -> Iterator[str]:
    yield '<section id="sections"><h2>Section health</h2>'
    yield (
        '<p class="meta">For each section of the content model, how many pages miss it, misplace it '
        "(out of order or at the wrong heading level) or misspell its heading.</p>"
    )
    rows = [(entry.section, (entry.missing, entry.misplaced, entry.misspelled)) for entry in health.sections]
    yield bar_chart(
        "sections", "Pages per section: missing, misplaced, misspelled", ("missing", "misplaced", "misspelled"), rows
    )
    yield '<table data-table="sections"><thead><tr><th>section</th><th class="n">missing</th><th class="n">misplaced</th><th class="n">misspelled</th></tr></thead><tbody>'
    for entry in health.sections:
        yield (
            f'<tr data-section="{escape(entry.section)}"><td>{escape(entry.section)}</td>'
            f'<td class="n">{entry.missing:,}</td><td class="n">{entry.misplaced:,}</td>'
            f'<td class="n">{entry.misspelled:,}</td></tr>'
        )
    yield "</tbody></table></section>\n"


def _doses(health: Health, options: HealthOptions) -> Iterator[str]:
    yield '<section id="doses"><h2>Dose notation</h2>'
    if not health.doses:
        yield '<p class="none">No error-prone dose notation found.</p></section>\n'
        return
    yield '<p class="meta">Error-prone forms found, most frequent first (<code>N</code> stands for the digits), each with a real example.</p>'
    yield '<table data-table="doses"><thead><tr><th>form</th><th>rule</th><th class="n">findings</th><th class="n">pages</th><th>example</th></tr></thead><tbody>'
    for form in health.doses:
        example = form.example
        yield (
            f'<tr data-form="{escape(form.form)}"><td><code>{escape(form.form)}</code></td>'
            f"{_rule_cell(form.rule.id, form.rule.name)}"
            f'<td class="n">{form.findings:,}</td><td class="n">{form.pages:,}</td>'
            f"<td>{_link(example.path, example.start.line, options)}<br>{escape(example.message)}</td></tr>"
        )
    yield "</tbody></table></section>\n"


def _baseline(health: Health) -> Iterator[str]:
    baseline = health.baseline
    assert baseline is not None
    yield f'<section id="baseline"><h2>Baseline</h2><p class="meta">{escape(baseline.file)}</p><dl class="totals">'
    for key, label, value in (
        ("held", "still held", baseline.held),
        ("paid", "paid down", baseline.paid),
        ("new", "new (not in it)", baseline.new),
    ):
        yield f'<div><dt>{label}</dt><dd data-baseline="{key}">{value:,}</dd></div>'
    yield "</dl>"
    if baseline.by_rule:
        rows = [(f"{rule.id} {rule.name}", (held, paid)) for rule, held, paid in baseline.by_rule]
        yield bar_chart(
            "baseline", "Baseline findings per rule: still held, paid down", ("still held", "paid down"), rows
        )
        yield '<table data-table="baseline"><thead><tr><th>rule</th><th class="n">still held</th><th class="n">paid down</th></tr></thead><tbody>'
        for rule, held, paid in baseline.by_rule:
            yield f'<tr data-rule="{escape(rule.id)}">{_rule_cell(rule.id, rule.name)}<td class="n">{held:,}</td><td class="n">{paid:,}</td></tr>'
        yield "</tbody></table>"
    yield "</section>\n"


def _comparison(health: Health, options: HealthOptions) -> Iterator[str]:
    comparison = health.comparison
    assert comparison is not None
    yield f'<section id="compare"><h2>Since the previous report</h2><p class="meta">{escape(comparison.file)}</p><dl class="totals">'
    yield f'<div><dt>new findings</dt><dd data-compare="new">{len(comparison.new):,}</dd></div>'
    yield f'<div><dt>fixed findings</dt><dd data-compare="fixed">{len(comparison.fixed):,}</dd></div></dl>'
    if comparison.by_rule:
        yield '<table data-table="compare"><thead><tr><th>rule</th><th class="n">new</th><th class="n">fixed</th></tr></thead><tbody>'
        for rule, new, fixed in comparison.by_rule:
            yield f'<tr data-rule="{escape(rule)}"><td><code>{escape(rule)}</code></td><td class="n">{new:,}</td><td class="n">{fixed:,}</td></tr>'
        yield "</tbody></table>"
    yield from _listed("New findings", comparison.new, options)
    gone = [(f.path, f.start.line, f.rule, f.message) for f in comparison.fixed]
    yield from _rows("Fixed findings", gone, options)
    yield "</section>\n"


def _listed(heading: str, findings: Iterable[Finding], options: HealthOptions) -> Iterator[str]:
    yield from _rows(heading, [(f.path, f.start.line, f.rule, f.message) for f in findings], options)


def _rows(heading: str, rows: list[tuple[str, int, str, str]], options: HealthOptions) -> Iterator[str]:
    if not rows:
        return
    more = f" (the first {LISTED} of {len(rows):,})" if len(rows) > LISTED else ""
    yield f"<h3>{heading}{more}</h3><ul>"
    for path, line, rule, message in rows[:LISTED]:
        yield f"<li>{_link(path, line, options)} <code>{escape(rule)}</code> {escape(message)}</li>"
    yield "</ul>"
