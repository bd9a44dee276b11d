"""How figures read in sentences: the series' unit, a true minus sign, one decimal."""

from __future__ import annotations

from core.series import Series

MINUS = "−"


def _minus(text: str) -> str:
    return text.replace("-", MINUS)


def fmt_pct(value: float, *, signed: bool = True) -> str:
    """+26.1% / −5.0%."""
    return _minus(f"{value:+.1f}%" if signed else f"{value:.1f}%")


def fmt_value(value: float, unit: str | None) -> str:
    """A level in its unit: USD 16.0bn, −5.1% of OI, 4.33%, 2,211.60, −41,250 contracts,
    114.4mn shares, 3.3 days."""
    u = (unit or "").strip()
    low = u.lower()
    if low == "usd bn":
        text = f"USD {value:.1f}bn"
    elif low == "usd mn":
        text = f"USD {value:,.0f}mn"
    elif low == "% of oi":
        text = f"{value:.1f}% of OI"
    elif low in ("percent", "%"):
        text = f"{value:.2f}%"
    elif low == "bp":
        text = f"{value:.0f} bp"
    elif low == "contracts":
        text = f"{value:,.0f} contracts"
    elif low == "shares":
        text = f"{value / 1e6:,.1f}mn shares"
    elif low == "days":
        text = f"{value:.1f} days"
    elif low in ("", "index points", "price", "pts", "points"):
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.2f} {u}"
    return _minus(text)


def label_of(s: Series) -> str:
    """Short label of a price series: its ETF or index ticker, else its name."""
    meta = s.meta if isinstance(s.meta, dict) else {}
    return meta.get("etf") or meta.get("ticker") or s.name
