"""Benchmarks and load tests (bench/run, bench/load). Not part of the product: its URLs
are mounted only when the BENCH=1 setting is on (see bench/urls.py)."""
