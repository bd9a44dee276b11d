# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Damaged containers: empty files, truncated and bit-flipped zips, wrong types behind a
familiar extension, encrypted (OLE) workbooks, .xls/.xlsx swaps and file-system oddities."""

from __future__ import annotations

import gzip
import os
import random
import struct
import zlib
from pathlib import Path

from .make_corpus import CaseSpec
from .ooxml import write_zip
from .samples import csv_text, good_xlsx_bytes, write_bytes, write_text

REAL_TFF = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "cftc_tff"
REAL_XLS = REAL_TFF / "FinFutYY_2025-01_to_2025-03.xls"
REAL_TXT = REAL_TFF / "FinFutYY_2024-01_to_2024-07.txt"


def _truncated(n_keep: int):
    def write(path: Path) -> None:
        path.write_bytes(good_xlsx_bytes()[:n_keep])

    return write


def _flipped(data_fn, seed: int, region: tuple[float, float] = (0.0, 1.0)):
    def write(path: Path) -> None:
        data = bytearray(data_fn())
        rng = random.Random(seed)
        lo, hi = int(len(data) * region[0]), int(len(data) * region[1]) - 1
        for _ in range(1 + seed % 8):
            pos = rng.randint(lo, hi)
            data[pos] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))

    return write


def _csv_bytes() -> bytes:
    return csv_text(80).encode()


def png_bytes() -> bytes:
    """A valid 1x1 PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def cfb_bytes(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (v3, 512-byte sectors) holding the given streams.

    Each stream is padded to >= 4096 bytes so it lives in regular sectors (no mini
    stream). With ``EncryptionInfo``/``EncryptedPackage`` this is what Excel writes for a
    password-protected .xlsx.
    """
    end, free, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    bodies = [streams[n].ljust(max(4096, len(streams[n])), b"\x00") for n in names]
    fat = [fatsect, end]  # sector 0: FAT, sector 1: directory
    starts = []
    for body in bodies:
        n_sec = -(-len(body) // 512)
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + n_sec))
        fat.append(end)
    if len(fat) > 128:
        raise ValueError("cfb_bytes supports one FAT sector only")
    fat.extend([free] * (128 - len(fat)))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child)
                + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16 + struct.pack("<IQ", start, size))

    # Streams hang off the root as a right-leaning chain; CFB orders names by length
    # first, so sort that way to keep the tree valid.
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    dir_entries = [entry("Root Entry", 5, nostream, nostream, 1 if names else nostream, end, 0)]
    for pos, i in enumerate(order):
        right = pos + 2 if pos + 1 < len(order) else nostream
        dir_entries.append(entry(names[i], 2, nostream, right, nostream, starts[i], len(streams[names[i]])))
    while len(dir_entries) % 4:
        dir_entries.append(entry("", 0, nostream, nostream, nostream, 0, 0))
    if len(dir_entries) > 4:
        raise ValueError("cfb_bytes supports one directory sector only")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + b"".join(dir_entries) + b"".join(bodies)


def encrypted_xlsx_bytes() -> bytes:
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns='
        b'"http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
        b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining='
        b'"ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    rng = random.Random(7)
    package = struct.pack("<Q", 9000) + bytes(rng.randrange(256) for _ in range(9008))
    return cfb_bytes({"EncryptionInfo": info, "EncryptedPackage": package})


def _dir(path: Path) -> None:
    path.mkdir()
    (path / "inside.csv").write_text(csv_text(10))


def _symlink_loop(path: Path) -> None:
    other = path.with_name(path.name + ".b.xlsx")
    os.symlink(other.name, path)
    os.symlink(path.name, other)


def _symlink(target: str):
    def write(path: Path) -> None:
        os.symlink(target, path)

    return write


def _symlink_to_good(path: Path) -> None:
    target = path.with_name("symlink_target_good.data")
    target.write_bytes(good_xlsx_bytes())
    os.symlink(target.name, path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zip_of(parts: dict[str, bytes]):
    def write(path: Path) -> None:
        write_zip(path, parts)

    return write


def _copy_real(src: Path, n_keep: int | None = None, flip_seed: int | None = None):
    def write(path: Path) -> None:
        data = bytearray(src.read_bytes()[:n_keep])
        if flip_seed is not None:
            rng = random.Random(flip_seed)
            for _ in range(16):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))

    return write


def specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, cat: str, filename: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, cat, filename, expect, write, **kw))  # type: ignore[arg-type]

    # -- controls: the undamaged originals ----------------------------------------
    add("control_good_xlsx", "control", "control_good.xlsx", "series", lambda p: p.write_bytes(good_xlsx_bytes()),
        good_sheets=("Prices", "Flows"))
    add("control_good_csv", "control", "control_good.csv", "series", write_bytes(_csv_bytes()))

    # -- empty ---------------------------------------------------------------------
    for ext in ("xlsx", "csv", "xls", "txt"):
        add(f"zero_byte_{ext}", "empty", f"zero_byte.{ext}", "message", write_bytes(b""))
    add("whitespace_only_csv", "empty", "whitespace_only.csv", "message", write_bytes(b"   \t  \n  \n"))
    add("newlines_only_csv", "empty", "newlines_only.csv", "message", write_bytes(b"\n" * 500))
    add("bom_only_csv", "empty", "bom_only.csv", "message", write_bytes(b"\xef\xbb\xbf"))
    add("empty_zip_xlsx", "empty", "empty_zip.xlsx", "message",
        write_bytes(b"PK\x05\x06" + b"\x00" * 18))

    # -- truncated zips ------------------------------------------------------------
    size = len(good_xlsx_bytes())
    points = sorted({size * i // 60 for i in range(1, 60)} | {size - k for k in (1, 2, 10, 21, 22, 23, 46, 100)})
    for n_keep in points:
        add(f"truncated_{n_keep:06d}", "truncated", f"truncated_{n_keep:06d}.xlsx", "either",
            _truncated(n_keep), same_as="control_good_xlsx")

    # -- bit flips -----------------------------------------------------------------
    for seed in range(80):
        add(f"bitflip_{seed:03d}", "bitflip", f"bitflip_{seed:03d}.xlsx", "either",
            _flipped(good_xlsx_bytes, seed), same_as="control_good_xlsx")
    for seed in range(20):  # the central directory and the end record: structure, not data
        add(f"bitflip_tail_{seed:03d}", "bitflip", f"bitflip_tail_{seed:03d}.xlsx", "either",
            _flipped(good_xlsx_bytes, 1000 + seed, (0.85, 1.0)), same_as="control_good_xlsx")
    for seed in range(10):
        add(f"bitflip_csv_{seed:03d}", "bitflip", f"bitflip_csv_{seed:03d}.csv", "either",
            _flipped(_csv_bytes, 2000 + seed))

    # -- wrong type behind the extension -------------------------------------------
    add("csv_named_xlsx", "wrong_type", "csv_renamed.xlsx", "either", write_text(csv_text(50)))
    add("png_named_xlsx", "wrong_type", "png_renamed.xlsx", "message", write_bytes(png_bytes()))
    add("png_named_csv", "wrong_type", "png_renamed.csv", "message", write_bytes(png_bytes()))
    add("pdf_named_xlsx", "wrong_type", "pdf_renamed.xlsx", "message",
        write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"))
    add("random_bytes_xlsx", "wrong_type", "random_bytes.xlsx", "message",
        write_bytes(random.Random(1).randbytes(20_000)))
    add("random_bytes_csv", "wrong_type", "random_bytes.csv", "message",
        write_bytes(random.Random(2).randbytes(20_000)))
    add("html_table_named_xls", "wrong_type", "html_table.xls", "either", write_text(
        "<html><body><table><tr><th>Date</th><th>RTY</th></tr>"
        + "".join(f"<tr><td>2024-01-{d:02d}</td><td>{2000 + d}</td></tr>" for d in range(2, 30))
        + "</table></body></html>"))
    add("docx_named_xlsx", "wrong_type", "docx_renamed.xlsx", "message", _zip_of({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": b"<w:document xmlns:w='urn:w'><w:body/></w:document>"}))
    add("ods_named_xlsx", "wrong_type", "ods_renamed.xlsx", "message", _zip_of({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b"<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'/>"}))
    add("zip_of_csv_named_xlsx", "wrong_type", "zip_of_csv.xlsx", "message",
        _zip_of({"data.csv": csv_text(30).encode()}))
    add("gzip_csv_named_csv", "wrong_type", "gzipped.csv", "either",
        write_bytes(gzip.compress(csv_text(30).encode(), mtime=0)))
    add("json_named_csv", "wrong_type", "json_renamed.csv", "message",
        write_text('{"Date": ["2024-01-02"], "RTY": [2000.5]}'))
    add("xlsx_named_csv", "wrong_type", "xlsx_renamed.csv", "either",
        lambda p: p.write_bytes(good_xlsx_bytes()))
    add("tab_text_named_txt", "wrong_type", "tab_delimited.txt", "either",
        write_text(csv_text(40, sep="\t")))

    # -- encrypted / OLE -----------------------------------------------------------
    add("encrypted_ole_xlsx", "encrypted", "encrypted.xlsx", "message",
        lambda p: p.write_bytes(encrypted_xlsx_bytes()))
    add("encrypted_ole_named_xls", "encrypted", "encrypted.xls", "message",
        lambda p: p.write_bytes(encrypted_xlsx_bytes()))
    add("ole_magic_only_xlsx", "encrypted", "ole_magic_only.xlsx", "message",
        write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504))
    add("ole_magic_8_bytes_xlsx", "encrypted", "ole_magic_8.xlsx", "message",
        write_bytes(bytes.fromhex("D0CF11E0A1B11AE1")))
    add("ole_without_workbook_xls", "encrypted", "ole_no_workbook.xls", "message",
        lambda p: p.write_bytes(cfb_bytes({"SummaryInformation": b"\x05" * 100})))

    # -- .xls <-> .xlsx ------------------------------------------------------------
    # The loader sniffs content (a CSV named .xlsx loads), so a workbook behind the other
    # Excel extension should load too, not be called corrupt or password-protected.
    add("xlsx_named_xls", "xls_swap", "xlsx_renamed.xls", "series",
        lambda p: p.write_bytes(good_xlsx_bytes()))
    if REAL_XLS.exists():
        add("real_xls_named_xlsx", "xls_swap", "real_cftc_renamed.xlsx", "series", _copy_real(REAL_XLS))
        for frac in (2, 4, 8):
            n = REAL_XLS.stat().st_size // frac
            add(f"real_xls_truncated_1_{frac}", "xls_swap", f"real_cftc_trunc_{frac}.xls", "either",
                _copy_real(REAL_XLS, n_keep=n))
        for seed in range(3):
            add(f"real_xls_bitflip_{seed}", "xls_swap", f"real_cftc_flip_{seed}.xls", "either",
                _copy_real(REAL_XLS, flip_seed=seed))
    if REAL_TXT.exists():
        add("real_tff_txt_named_xlsx", "xls_swap", "real_tff_txt_renamed.xlsx", "either", _copy_real(REAL_TXT))

    # -- file system ---------------------------------------------------------------
    add("directory_named_xlsx", "fs", "a_directory.xlsx", "message", _dir)
    add("directory_named_csv", "fs", "a_directory.csv", "message", _dir)
    add("symlink_loop_xlsx", "fs", "loop.xlsx", "message", _symlink_loop)
    add("dangling_symlink_xlsx", "fs", "dangling.xlsx", "message", _symlink("does_not_exist.xlsx"))
    add("symlink_to_good_xlsx", "fs", "link_to_good.xlsx", "series", _symlink_to_good)
    add("fifo_named_csv", "fs", "a_fifo.csv", "message", _fifo)
    add("dev_zero_named_csv", "fs", "endless_zeros.csv", "message", _symlink("/dev/zero"))
    add("unicode_file_name", "fs", "Ünïcødé 名前 📈 prices.xlsx", "series",
        lambda p: p.write_bytes(good_xlsx_bytes()))
    add("long_file_name", "fs", "L" * 200 + ".xlsx", "series", lambda p: p.write_bytes(good_xlsx_bytes()))
    add("newline_in_file_name", "fs", "line\nbreak.xlsx", "series", lambda p: p.write_bytes(good_xlsx_bytes()))
    add("missing_file", "fs", "never_written.xlsx", "message", lambda p: None)
    return s
