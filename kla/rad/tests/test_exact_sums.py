"""End to end, no float anywhere: amounts typed the Indonesian way go through the services into the database and come
out of the budget report summed to the sen, every breakdown adding up to its total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.core.formatting import format_number
from kla.rad import rules, selectors, services
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
SUBS = Decimal("60000000.25")  # the two sub-activities of the built plan, in 2025 and in 2026
_amounts = st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2)
_cells = st.dictionaries(st.tuples(st.sampled_from([2025, 2026]), st.sampled_from(list(rules.Source))), _amounts)
_CLEAR = {(year, source.value): "0" for year in (2025, 2026) for source in rules.Source}


def test_typed_amounts_come_back_summed_to_the_sen() -> None:
    built = b.built_plan()

    @settings(max_examples=25, deadline=None)
    @given(play=_cells, birth=_cells, prefix=st.sampled_from(["", "Rp ", "Rp"]))
    def check(play: dict[tuple[int, str], Decimal], birth: dict[tuple[int, str], Decimal], prefix: str) -> None:
        for node, cells in ((built.play, play), (built.birth, birth)):
            typed = {(year, str(source)): prefix + format_number(amount, 2) for (year, source), amount in cells.items()}
            services.budget_set(node=node, budget={**_CLEAR, **typed}, by=None)
        for year in (2025, 2026):
            expected = sum((a for (y, _), a in [*play.items(), *birth.items()] if y == year), Decimal(0))
            report = selectors.budget_report(built.plan, year, today=b.TODAY).breakdown
            assert report.planned == expected + SUBS
            for rows in (report.by_agency, report.by_source, report.by_cluster, report.by_indicator):
                assert sum((r.planned for r in rows), Decimal(0)) == report.planned

    check()
