"""The domain of dondoc: plans, deadlines, the DAG, statuses, and their storage (Prefect-free)."""
