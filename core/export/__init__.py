"""Exports: the statistics workbook (.xlsx) and the desk note (.txt), written atomically."""

from core.export.charts import rebased_lines
from core.export.note_text import note_text, write_note_text
from core.export.workbook import write_stats_workbook

__all__ = ["note_text", "rebased_lines", "write_note_text", "write_stats_workbook"]
