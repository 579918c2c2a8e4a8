"""The demo: the seed plan lived day by day, tracked by Prefect, printed for a person."""
