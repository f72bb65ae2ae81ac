"""What a run produced: tables, run folders written whole or not at all, manifests, chart data."""
