"""Verification's writes, one module per subject; every function is one atomic, audited service call.

- `steps`: `advance`, the only way an evaluation's state changes after submission.
- `scores`: the stage score a step stores (administrative tallies, field points, the final score).
- `verdicts`: reviewers' decisions on questions (`verdict_record`, `entries_accept`) and field points.
- `returns`: entries sent back to the kab/kota (`entries_return`) and sent again (`entry_resubmit`).
- `proposal`: the province's letter wording and its proposal of kab/kota to the ministry.
- `preconditions`: what every step and decision checks first; `StepRefused` says why one is not allowed.
"""
