"""What every step of a run shares: the instrument, the people, the stored files, the clock and the inserter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bench.national_data.files import StoredFile
from bench.national_data.instrument import Instrument, Scorer
from bench.national_data.people import People
from bench.national_data.report import Inserter


@dataclass
class Context:
    seed: int
    fw: Instrument
    scorer: Scorer
    people: People
    files: dict[str, StoredFile]  # evidence type → stored file
    photo: StoredFile  # the field photo
    now: dt.datetime
    ins: Inserter
