"""Public data fetched, stored and kept current: CFTC TFF archives, FRED's target range
and effective rate, FINRA equity short interest.

- ``update_sources(["cftc", "fred", "finra"], years=..., symbols=..., progress=, cancel=)``
  -> list of ``SourceOutcome`` (one line each via ``.line()``); the CLI verb ``fetch`` and
  the GUI's "Update public data" dialog both call it.
- ``public_results()`` -> LoadResults of the stored data for a catalog (``--public``);
  their ``file`` starts with "Public data:" (``is_public_group``): a workspace keeps them
  by reference and reloads them with ``public_results()``, not by path.
- ``cftc.load_history()``, ``fred.load_fetched_target_ranges()``,
  ``finra.stored_short_interest()`` (a DataFrame: symbol, settlement_date, shares_short,
  avg_daily_volume, days_to_cover) read the store without the network.

Nothing here needs the network to read; no network means one failed line per source and
an untouched store.
"""

from __future__ import annotations

from core.public_data.update import (
    PUBLIC_GROUP_PREFIX,
    is_public_group,
    public_results,
    update_sources,
)

__all__ = ["PUBLIC_GROUP_PREFIX", "is_public_group", "public_results", "update_sources"]
