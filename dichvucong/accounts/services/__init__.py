"""Every write about accounts goes through these services (one module per subject)."""
