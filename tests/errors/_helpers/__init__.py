"""Helper modules for the diagnostics corpus (not tests themselves)."""
