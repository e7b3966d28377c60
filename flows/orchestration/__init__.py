"""Stage 6b: Prefect around the core: flows, schedules, deployments, task runners and what the UI shows."""
