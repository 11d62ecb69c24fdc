"""Pages of verification, one module per part of the work.

- `review`: the reviewer's queue and an evaluation's review (steps, accepting, returning entries).
- `entry`: an entry's review screen, a verdict on one question, the kab/kota's resubmission.
- `proposal`: the province's overview with its proposal to the ministry, the letter's wording and the letter.
"""
