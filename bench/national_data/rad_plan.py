"""One kab/kota's RAD KLA decided in memory (no database): the plan for last year to four years ahead, adopted by
Perbup/Perwal, programmes under some of the instrument's indicators, activities (some split in two sub-activities)
of the agencies the indicator names, an output with a target per year on each funded leaf, the budget per year and
source (APBD kab/kota always; DAK, APBN, APBD provinsi, CSR or Dana Desa now and then; some amounts with sen), the
realisation of the quarters that have ended this year and last, and the region's APBD per year.

Everything is drawn from the region's own `random.Random` (stable keys too), so a region's plan does not depend on
which provinces were selected. About one region in twelve has one activity without the latest ended quarter, and
one leaf in twenty spends above its plan last year, explained: the budget report's flags have data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from bench.national_data.instrument import IndicatorSpec, Instrument
from kla.agencies.catalogue import BY_CODE, Group
from kla.rad.rules import BASIS_FOR_KIND, QUARTERS, Level, Source, quarter_ended
from kla.regions.models import Region

CENT, WHOLE = Decimal("0.01"), Decimal(1)
PROGRAMMES = (5, 8)  # indicators with a programme, per plan
GROWTH = Decimal("1.04")  # the APBD grows 4 % a year
SPLIT = 0.2  # share of activities split in two sub-activities
SHARES: tuple[Decimal, ...] = (Decimal("0.15"), Decimal("0.25"), Decimal("0.25"), Decimal("0.25"))
OVER_SHARES: tuple[Decimal, ...] = (Decimal("0.30"), Decimal("0.35"), Decimal("0.40"), Decimal("0.15"))
EXPLANATION = "Kebutuhan layanan melebihi perkiraan; tambahan anggaran melalui pergeseran yang disetujui TAPD."
NOTES = "Dilaksanakan sesuai jadwal triwulan."
ACTIVITIES = (
    "Penyediaan layanan",
    "Sosialisasi dan edukasi",
    "Peningkatan kapasitas petugas",
    "Pendataan dan pemantauan",
)
UNITS = ("kegiatan", "anak", "lokasi", "dokumen", "orang", "keluarga")
OTHER_SOURCES = (Source.DAK, Source.APBN, Source.APBD_PROVINSI, Source.BUSINESS)


@dataclass
class QuarterPlan:
    year: int
    quarter: int
    spent: dict[str, Decimal]
    achieved: Decimal
    explanation: str = ""


@dataclass
class NodePlan:
    key: uuid.UUID
    level: Level
    name: str
    indicator: int  # indicator id
    kind: str = ""  # agency kind (activities and sub-activities)
    children: list[NodePlan] = field(default_factory=list)
    # a funded leaf: its output, targets per year, budget per (year, source) and realised quarters
    output_key: uuid.UUID | None = None
    output: str = ""
    unit: str = ""
    targets: dict[int, Decimal] = field(default_factory=dict)
    budget: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    quarters: list[QuarterPlan] = field(default_factory=list)

    @property
    def funded_output(self) -> uuid.UUID:
        """The output key of a funded leaf."""
        if self.output_key is None:
            raise ValueError(f"{self.name} is not a funded leaf")
        return self.output_key


@dataclass
class RadPlan:
    region: Region
    start: int
    end: int
    basis_kind: str
    basis_number: str
    basis_date: dt.date
    programmes: list[NodePlan]
    region_budget: dict[int, Decimal]

    def nodes(self) -> list[NodePlan]:
        """Every node, parents before children."""
        out = list(self.programmes)
        for programme in self.programmes:
            out += programme.children
        for programme in self.programmes:
            for activity in programme.children:
                out += activity.children
        return out

    def leaves(self) -> list[NodePlan]:
        return [n for n in self.nodes() if n.output_key is not None]


def _key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _kind(indicator: IndicatorSpec, kinds: set[str]) -> str:
    """The first regional agency (OPD) the indicator names that the region has registered, else Dinas PPPA."""
    for kind in indicator.agencies:
        spec = BY_CODE.get(kind)
        if kind in kinds and spec is not None and spec.group is Group.REGIONAL:
            return kind
    return "DPPPA"


def ended(start: int, end: int, today: dt.date) -> list[tuple[int, int]]:
    return [
        (year, q)
        for year in (today.year - 1, today.year)
        if start <= year <= end
        for q in QUARTERS
        if quarter_ended(year, q, today)
    ]


def make_rad(region: Region, kinds: set[str], fw: Instrument, rng: random.Random, *, today: dt.date) -> RadPlan:
    """The RAD KLA of `region` for last year to four years ahead, its agencies among `kinds`."""
    start, end = today.year - 1, today.year + 3
    years = range(start, end + 1)
    basis = BASIS_FOR_KIND.get(region.kind, "perbup")
    place = region.name.split(" ", 1)[-1]
    chosen = sorted(rng.sample(range(len(fw.indicators)), rng.randint(*PROGRAMMES)))
    quarters = ended(start, end, today)
    programmes: list[NodePlan] = []
    for index in chosen:
        indicator = fw.indicators[index]
        programme = NodePlan(_key(rng), Level.PROGRAMME, f"Program {indicator.name}"[:400], indicator.id)
        for n in range(rng.randint(1, 2)):
            name = f"{ACTIVITIES[(index + n) % len(ACTIVITIES)]}: {indicator.name}"[:400]
            activity = NodePlan(_key(rng), Level.ACTIVITY, name, indicator.id, _kind(indicator, kinds))
            if rng.random() < SPLIT:
                for part in ("kecamatan", "sekolah dan fasilitas umum"):
                    sub = NodePlan(
                        _key(rng), Level.SUB_ACTIVITY, f"{name} di {part}"[:400], indicator.id, activity.kind
                    )
                    _fund(sub, rng, region, years, quarters)
                    activity.children.append(sub)
            else:
                _fund(activity, rng, region, years, quarters)
            programme.children.append(activity)
        programmes.append(programme)
    if quarters and rng.random() < 1 / 12:  # one activity did not report the latest ended quarter
        leaf = rng.choice([n for p in programmes for a in p.children for n in (a.children or [a])])
        leaf.quarters.pop()
    apbd = Decimal(rng.randint(1_200, 4_500)) * 1_000_000_000 + Decimal(rng.randint(0, 999)) * 1_000_000
    day = dt.date(start, rng.randint(2, 6), rng.randint(1, 28))
    return RadPlan(
        region=region,
        start=start,
        end=end,
        basis_kind=basis,
        basis_number=f"Peraturan {'Bupati' if basis == 'perbup' else 'Wali Kota'} {place} Nomor {rng.randint(5, 60)} "
        f"Tahun {start}",
        basis_date=day,
        programmes=programmes,
        region_budget={y: (apbd * GROWTH ** (y - start)).quantize(WHOLE) for y in years},
    )


def _fund(node: NodePlan, rng: random.Random, region: Region, years: range, quarters: list[tuple[int, int]]) -> None:
    """The leaf's output with targets, its budget per year and source, and its realised quarters."""
    node.output_key = _key(rng)
    node.unit = rng.choice(UNITS)
    node.output = f"Capaian {node.name.split(':', 1)[0].lower()}"[:300]
    base = rng.randint(5, 200)
    node.targets = {y: Decimal(base + 5 * i) for i, y in enumerate(years)}
    amount = Decimal(rng.randint(50, 1_500)) * 1_000_000
    sen = Decimal("0.50") if rng.random() < 0.1 else Decimal(0)
    other = rng.choice((*OTHER_SOURCES, Source.DANA_DESA) if region.kind == "kabupaten" else OTHER_SOURCES)
    second = rng.random() < 0.35
    for i, y in enumerate(years):
        node.budget[(y, Source.APBD_KABKOTA.value)] = amount + Decimal(25_000_000 * i) + sen
        if second:
            node.budget[(y, other.value)] = (amount / 2).quantize(WHOLE)
    over = rng.random() < 0.05
    for year, quarter in quarters:
        shares = OVER_SHARES if over and year == years[0] else SHARES
        share = shares[quarter - 1]
        spent = {s: (a * share).quantize(CENT) for (y, s), a in node.budget.items() if y == year}
        explanation = EXPLANATION if sum(shares[:quarter], Decimal(0)) > 1 else ""
        achieved = (node.targets[year] * share).quantize(WHOLE)
        node.quarters.append(QuarterPlan(year, quarter, spent, achieved, explanation))
