"""`make loadtest`: the deadline surge against the production-like stack (see run.py)."""
