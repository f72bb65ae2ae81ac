"""Running many: replicates and their executors (local processes, Dask), streaming, comparisons, sweeps."""
