"""`monolint report` on the real corpus (../shared; skipped without it, failed in CI)."""

from __future__ import annotations

from pathlib import Path

from health_pages import data_values, resource_urls
from helpers_cli import run

from validator.content_model.load import load_content_model


def test_report_on_the_real_corpus_works_offline(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", "--isolated", "--cache-dir", str(tmp_path / "cache"), str(corpus), "-o", str(out)]
    result = run(args, tmp_path, timeout=300)
    assert result.code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    totals = data_values(html, "total")
    assert totals["files"] == sum(1 for _ in corpus.rglob("*.md"))
    assert totals["findings"] > 0 and totals["errors"] > 0
    for section in load_content_model(None).sections:
        assert f'data-section="{section.heading}"' in html
    assert 'id="doses"' in html and "<td><code>" in html
    assert resource_urls(html) == [] and "<script" not in html.lower()
    assert result.stderr.startswith(f"Wrote {out}: {totals['files']:,} pages checked")
