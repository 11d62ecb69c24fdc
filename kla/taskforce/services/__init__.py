"""Every write of the Gugus Tugas: atomic, audited (``kla.taskforce.*``), refused with an Indonesian sentence."""

from kla.taskforce.services.decrees import DecreeFacts, decree_record, decree_replace
from kla.taskforce.services.follow_ups import follow_up_add, follow_up_complete
from kla.taskforce.services.meetings import meeting_hold, meeting_plan, minutes_add
from kla.taskforce.services.members import member_add, member_end

__all__ = [
    "DecreeFacts",
    "decree_record",
    "decree_replace",
    "follow_up_add",
    "follow_up_complete",
    "meeting_hold",
    "meeting_plan",
    "member_add",
    "member_end",
    "minutes_add",
]
