"""gradesec: offline MLPS 2.0 graded-protection assessment with a signed evidence store."""

__version__ = "0.1.0"
