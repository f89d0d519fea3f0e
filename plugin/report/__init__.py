"""Reports: the per-diet scorecard and the perf report (tables, Markdown, matplotlib charts).

Never imports pytest: the pytest layer feeds these objects and writes what they render.
"""
