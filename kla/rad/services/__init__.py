"""Every write of RAD KLA: atomic, audited (``kla.rad.*``), refused with an Indonesian sentence, nothing half-written.

Objects come in through the gates of `kla.rad.access` (another region's id answers 404 like a missing one); agencies
and indicators named by id are looked up within the plan's region and instrument (`services.scope`).
"""

from kla.rad.services.figures import budget_set, targets_set
from kla.rad.services.nodes import node_add, node_remove, node_update, output_add, output_remove, output_update
from kla.rad.services.plans import plan_create, region_budget_set
from kla.rad.services.realisation import realisation_record
from kla.rad.services.versions import Basis, revision_start, version_adopt

__all__ = [
    "Basis",
    "budget_set",
    "node_add",
    "node_remove",
    "node_update",
    "output_add",
    "output_remove",
    "output_update",
    "plan_create",
    "realisation_record",
    "region_budget_set",
    "revision_start",
    "targets_set",
    "version_adopt",
]
