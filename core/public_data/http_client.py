"""HTTP for the public-data fetch: one ``httpx`` client with timeouts, a few retries with
backoff (connection errors, timeouts, 429 and 5xx; ``Retry-After`` honoured), a
User-Agent naming the app, proxies from the environment (``HTTP(S)_PROXY``/``NO_PROXY``,
httpx's ``trust_env``) and conditional requests (``If-None-Match``/``If-Modified-Since``)
so an unchanged file costs a 304 and no body.

Every failure is a ``FetchFailed`` whose text names the URL and what went wrong in words
an analyst can act on; a 404 is not a failure here but ``Download.status == "missing"``,
because the callers treat "not published yet" differently from "broken".
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from core import __version__

USER_AGENT = f"Gapwatch/{__version__} (public data update; +https://www.cftc.gov, FRED, FINRA)"
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRIES = 3
RETRY_AFTER_CAP_S = 30.0
_RETRY_STATUS = {429, 500, 502, 503, 504}
_CHUNK = 1 << 16

Cancel = Callable[[], bool]
Progress = Callable[[int, int | None], None]  # bytes so far, total (None when unknown)


class FetchFailed(Exception):
    """A download that did not give a usable response; the text says why."""


class FetchCancelled(Exception):
    """The user cancelled while a download was running."""


@dataclass
class Download:
    url: str
    status: str  # "ok" (body below), "not_modified" (304) or "missing" (404/410)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    bytes_received: int = 0


class HttpClient:
    """``get(url, etag=..., last_modified=...)`` -> ``Download``. One instance per update."""

    def __init__(self, *, timeout: float | None = None, retries: int = DEFAULT_RETRIES,
                 backoff: float | None = None, cancel: Cancel | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        # Settings from the environment too, so a slow proxy (or a test) can change them.
        timeout = timeout if timeout is not None else _env_float("GAPWATCH_HTTP_TIMEOUT",
                                                                 DEFAULT_TIMEOUT_S)
        backoff = backoff if backoff is not None else _env_float("GAPWATCH_HTTP_BACKOFF", 0.5)
        self.retries = max(1, retries)
        self.backoff = backoff
        self.cancel = cancel
        self.bytes_received = 0
        self._client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True,
                                    headers={"User-Agent": USER_AGENT}, trust_env=True,
                                    transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            progress: Progress | None = None) -> Download:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last_error = ""
        for attempt in range(self.retries):
            self._check_cancel()
            try:
                result = self._once(url, headers, progress, self.backoff * 2 ** attempt)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_error = _describe(exc)
                wait = self.backoff * 2 ** attempt
            else:
                if isinstance(result, Download):
                    return result
                last_error, wait = result
            if attempt + 1 < self.retries:
                self._sleep(wait)
        raise FetchFailed(f"{url}: {last_error} (tried {self.retries} times)")

    def _once(self, url: str, headers: dict, progress: Progress | None,
              backoff: float) -> Download | tuple[str, float]:
        """A Download, or (why, seconds to wait) for an answer worth asking again."""
        with self._client.stream("GET", url, headers=headers) as resp:
            code = resp.status_code
            if code == 304:
                return Download(url, "not_modified", etag=resp.headers.get("ETag"),
                                last_modified=resp.headers.get("Last-Modified"))
            if code in (404, 410):
                return Download(url, "missing")
            if code in _RETRY_STATUS:
                wait = _retry_after(resp.headers.get("Retry-After"), backoff)
                reason = "too many requests (429)" if code == 429 else f"server error {code}"
                return f"{reason}", wait
            if code != 200:
                raise FetchFailed(f"{url}: the server answered {code} {resp.reason_phrase}")
            total = _int_or_none(resp.headers.get("Content-Length"))
            chunks, got = [], 0
            for chunk in resp.iter_bytes(_CHUNK):
                self._check_cancel()
                chunks.append(chunk)
                got += len(chunk)
                self.bytes_received += len(chunk)
                if progress is not None:
                    progress(got, total)
            return Download(url, "ok", b"".join(chunks), etag=resp.headers.get("ETag"),
                            last_modified=resp.headers.get("Last-Modified"),
                            content_type=resp.headers.get("Content-Type", ""), bytes_received=got)

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise FetchCancelled("cancelled")

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:  # short naps so a cancel is felt quickly
            self._check_cancel()
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "no answer within the timeout (server slow or unreachable)"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or type(exc).__name__
        if "refused" in text.lower():
            return "connection refused"
        return f"cannot connect ({text}); is the network or the proxy setting down?"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the download broke off ({exc})"
    return f"{type(exc).__name__}: {exc}"


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(RETRY_AFTER_CAP_S, max(0.0, float(value))) if value else default
    except ValueError:
        return default  # an HTTP date: rare for these servers; use our own backoff


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default
