"""Benchmarks (not timed tests): run with `make bench`; see docs/benchmarks.md."""
