"""map() and compute_unique_id() called from run-time code."""
from kiln.objectmodel import compute_unique_id


def entry_point(argv):
    lengths = list(map(len, argv))
    return compute_unique_id(argv) + len(lengths)
