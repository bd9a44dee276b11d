"""Every export's observations kept (SQLite in the app's data folder): what an export
said about a day, which values an export revised, and the catalog reopened from the
store without parsing any file.

- ``VintageStore(path=None)``: ``record(load_result)`` stores one file as one export in
  one transaction; ``store_path()`` is where it lives (``GAPWATCH_HOME`` relocates it);
  ``record_results(results)`` does it for a load and answers in messages.
- ``said_about``, ``revisions``, ``exports_of``: the questions; ``results_from_store``
  and ``catalog_from_store``: what was loaded, reopened without parsing.
"""

from core.vintages.queries import (
    ExportSaid,
    ExportSummary,
    Revision,
    UnknownSeries,
    catalog_from_store,
    exports_of,
    results_from_store,
    revisions,
    said_about,
)
from core.vintages.recording import record_results
from core.vintages.store import Export, Recorded, StoreUnavailable, VintageStore, store_path

__all__ = ["Export", "ExportSaid", "ExportSummary", "Recorded", "Revision", "StoreUnavailable", "UnknownSeries",
           "VintageStore", "catalog_from_store", "exports_of", "record_results", "results_from_store", "revisions", "said_about",
           "store_path"]
