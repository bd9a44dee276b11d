"""Gapwatch GUI: PySide6 + pyqtgraph views over core objects (see gui/main_window.py)."""
