"""The shell: Prefect flows and tasks, the `dondoc` CLI, the demo replay."""
