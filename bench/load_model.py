"""The deadline-surge load model in one place, for the load test and bench-capacity. Pure Python: no Django import.

Every figure is a proposal until the previous cycle's real numbers replace it. Load tests, `seed_national` and
capacity notes import these constants instead of repeating the numbers; the derived values are computed here, so
changing one input changes every threshold that depends on it.
"""

from __future__ import annotations

# --- who uploads -------------------------------------------------------------------------------------------------
PROVINCES = 38  # provinces: they review, they do not upload
KABKOTA = 514  # regencies/cities: every one uploads its evidence
AGENCIES_PER_KABKOTA = 5  # OPD per Gugus Tugas with an operator account (DPPPA, Bappeda, Dinkes, Disdik, Disdukcapil)
OPERATORS = KABKOTA * AGENCIES_PER_KABKOTA  # 2,570 agency operators (~3,200 accounts with secretariats and reviewers)

# --- what they upload --------------------------------------------------------------------------------------------
INDICATORS = 24
FILES_PER_INDICATOR = 6  # ~6 evidence files per indicator
FILES_PER_REGION_PER_CYCLE = 150  # 24 indicators × ~6 files, rounded up
MEAN_FILE_MB = 5  # mean evidence file size
MB_PER_REGION_PER_CYCLE = FILES_PER_REGION_PER_CYCLE * MEAN_FILE_MB  # 750 MB per kab/kota
FILES_PER_CYCLE = KABKOTA * FILES_PER_REGION_PER_CYCLE  # 77,100 files
GB_PER_CYCLE = FILES_PER_CYCLE * MEAN_FILE_MB / 1000  # ~385 GB per cycle (~500 GB with re-uploads)

# --- when they upload --------------------------------------------------------------------------------------------
SHARE_IN_LAST_3_DAYS = 0.5  # half of all files arrive in the last 3 working days
LAST_DAYS_WORKING_HOURS = 3 * 8  # 24 working hours
PEAK_HOUR_FACTOR = 2.5  # the busiest hour against the mean hour of those 3 days
FILES_IN_LAST_3_DAYS = FILES_PER_CYCLE * SHARE_IN_LAST_3_DAYS  # 38,550 files
FILES_PER_HOUR_LAST_DAYS = FILES_IN_LAST_3_DAYS / LAST_DAYS_WORKING_HOURS  # ~1,600 files/h
PEAK_FILES_PER_HOUR = FILES_PER_HOUR_LAST_DAYS * PEAK_HOUR_FACTOR  # ~4,000 files/h
PEAK_UPLOADS_PER_S = 1.1  # ~4,000 files/h ÷ 3,600 s (1.12, rounded as in the note)
PEAK_INGEST_MB_PER_S = PEAK_UPLOADS_PER_S * MEAN_FILE_MB  # ~5.6 MB/s ≈ 45 Mbit/s

# --- pages -------------------------------------------------------------------------------------------------------
SHARE_ACTIVE_IN_PEAK_HOUR = 0.4  # 40 % of operators are signed in during the peak hour
ACTIVE_SESSIONS = 1000  # 0.4 × 2,570 ≈ 1,030 sessions, rounded
SECONDS_BETWEEN_PAGES = 30  # one page every ~30 s per active session
PEAK_PAGES_PER_S = 35  # 1,030 ÷ 30 ≈ 34.3, rounded up

# --- slow links --------------------------------------------------------------------------------------------------
UPLINK_MBIT_S = 5  # assumed median regional uplink
SECONDS_PER_MEAN_FILE = MEAN_FILE_MB * 8 / UPLINK_MBIT_S  # a 5 MB file takes ~8 s at 5 Mbit/s

# --- stress target -----------------------------------------------------------------------------------------------
HEADROOM = 3  # design for 3× the peak
STRESS_UPLOADS_PER_S = round(PEAK_UPLOADS_PER_S * HEADROOM, 1)  # 3.3 uploads/s
STRESS_PAGES_PER_S = PEAK_PAGES_PER_S * HEADROOM  # 105 page requests/s
STRESS_SESSIONS = ACTIVE_SESSIONS * HEADROOM  # ~3,000 simulated users
SLOW_UPLOADS_IN_FLIGHT = 150  # uploads open at once at 3× over 5 Mbit/s links (10–50 at 1×)

# --- the peak-hour page mix --------------------------------------------------------------------------------------
# Page requests per second at 1× by kind, as bench/loadtest/locustfile.py sends them (operators 60 × 0.4/s,
# secretariats 10 × 0.2/s × 2 pages, province reviewers 6 × 0.5/s, the public 4 × 0.5/s × 2 pages). bench/capacity.py
# weighs each page's measured CPU by these rates; the sum is the model's page rate.
PAGE_MIX = {
    "operator: beranda": 4.0,
    "operator: tugas saya": 4.0,
    "operator: entri": 8.0,
    "operator: autosave": 8.0,
    "secretariat: evaluasi": 2.0,
    "secretariat: beranda": 2.0,
    "reviewer: antrean verifikasi": 0.75,
    "reviewer: telaah entri": 0.75,
    "reviewer: verdict": 1.5,
    "public: hasil": 2.0,
    "public: siklus": 2.0,
}
assert sum(PAGE_MIX.values()) == PEAK_PAGES_PER_S
