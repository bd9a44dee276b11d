"""Gapwatch core: ingestion, series catalog and window analytics.

Plain Python + numpy/pandas. Nothing in this package may import Qt, pyqtgraph or
``gui`` (tests/test_architecture.py enforces it), so every figure the app shows can
also be computed from a script or ``main.py report``.
"""

__version__ = "0.1.0"
