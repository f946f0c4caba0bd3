"""Imported by ../runtime_import_fails.py: raises while it is imported."""
VALUE = 1 // 0
