"""Scorers (pure functions over spans and labels, no I/O) and `evaluate`, which runs models and writes a report."""
