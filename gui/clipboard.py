"""Copy a table view's selection (or all of it) as TSV and as an HTML table, so pasting
into Excel gives cells and pasting into Outlook gives a formatted table."""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QTableView


def table_rows(view: QTableView) -> list[list[str]]:
    """Header + selected rows/columns as displayed (all cells when nothing is selected)."""
    model = view.model()
    sel = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if sel:
        rows = sorted({i.row() for i in sel})
        cols = sorted({i.column() for i in sel})
    else:
        rows = list(range(model.rowCount()))
        cols = list(range(model.columnCount()))
    cols = [c for c in cols if not view.isColumnHidden(c)]
    header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols]
    body = [[str(model.index(r, c).data() or "") for c in cols] for r in rows]
    return [header, *body]


def rows_to_mime(rows: list[list[str]]) -> QMimeData:
    tsv = "\n".join("\t".join(cell.replace("\t", " ") for cell in r) for r in rows) + "\n"
    head, *body = rows if rows else [[]]
    html_rows = ["<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>"]
    html_rows += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                  for r in body]
    mime = QMimeData()
    mime.setText(tsv)
    mime.setHtml("<table border=1 cellspacing=0>" + "".join(html_rows) + "</table>")
    return mime


def copy_table(view: QTableView) -> str:
    rows = table_rows(view)
    mime = rows_to_mime(rows)
    text = mime.text()
    QApplication.clipboard().setMimeData(mime)
    return text
