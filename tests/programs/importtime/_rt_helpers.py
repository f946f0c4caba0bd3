# A helper module for runtime_imports.py: imported only inside run-time functions.
SCALE = 7


def scaled(x):
    return x * SCALE
