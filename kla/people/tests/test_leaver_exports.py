"""A leaver's exports still being built when they are deactivated are left to their task, not cancelled: the task
reads rows through the requester's scope as it is when it runs, and a deactivated leaver's memberships are revoked,
so the file holds no row of data; nobody is told (a deactivated user is not notified) and the retention prune removes
it. (Cancelling would need a state the export task knows: `reports.services.build` rebuilds anything not ready.)"""

from __future__ import annotations

from typing import Any

import pytest

from kla.notifications.models import Kind, Notification
from kla.people.handover import hand_over_and_deactivate
from kla.reports.models import Export
from kla.reports.services import build, grant_keys

pytestmark = pytest.mark.django_db


def test_an_export_still_waiting_when_its_requester_leaves_is_built_empty_and_tells_no_one(
    user_of: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    leaver = user_of("province")
    export = Export.objects.create(
        kind="rekap-evaluasi",
        cycle_code="evaluasi-kla-demo",
        format="csv",
        grants=grant_keys(leaver),
        requested_by=leaver,
    )
    admin = user_of("ministry_admin")
    hand_over_and_deactivate(leaver=leaver, successor=None, moving=[], reason="Pindah tugas.", by=admin)
    assert Export.objects.get(pk=export.pk).status == Export.Status.PENDING  # listed as open work, left to its task

    done = build(export.pk)  # the queued task runs after the deactivation
    assert done.status == Export.Status.READY and done.rows_total == 0
    lines = done.file.open("rb").read().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Kode wilayah,")  # the header, no region's row
    assert not Notification.objects.filter(kind=Kind.EXPORT, user=leaver).exists()
