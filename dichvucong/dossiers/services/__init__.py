"""Every write to a dossier goes through these services (one transaction per user action)."""
