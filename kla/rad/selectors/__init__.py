"""Reads of RAD KLA for the pages and the API, in a constant number of queries (pinned in tests)."""

from kla.rad.selectors.budget import BudgetReport, budget_report, region_budgets
from kla.rad.selectors.plans import (
    ClusterView,
    IndicatorView,
    NodeView,
    OutputView,
    PlanTree,
    current_version,
    plan_list,
    plan_tree,
)
from kla.rad.selectors.realisation import (
    QuarterFigures,
    QuarterSummary,
    realisation_summary,
    realisation_table,
    region_realisation_files,
    revision_changes,
)

__all__ = [
    "BudgetReport",
    "ClusterView",
    "IndicatorView",
    "NodeView",
    "OutputView",
    "PlanTree",
    "QuarterFigures",
    "QuarterSummary",
    "budget_report",
    "current_version",
    "plan_list",
    "plan_tree",
    "realisation_summary",
    "realisation_table",
    "region_budgets",
    "region_realisation_files",
    "revision_changes",
]
