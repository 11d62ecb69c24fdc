"""Reads of the dashboards, one module per level (`kabkota`, `province`, `national`) and `common` (the cycle filter,
completeness and RAD budgets as aggregates). Scores reach them only through `results.selectors.scores.visible_scores`.
"""
