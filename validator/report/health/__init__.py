"""`monolint report`: the corpus health report, one self-contained HTML page.

aggregate.py turns one run's findings into the figures (a pure function); compare.py reads a
previous ``--format json`` report and tells new findings from fixed ones; html.py renders
the figures as HTML with inline CSS and SVG charts.
"""
