"""Pure mathematics of alignment: similarity, balance, landscapes, analytics and the per-step measures (numpy/scipy only)."""
