"""Receive an inbox: every file (or .jsonl line) becomes one receipt; good ones become raw documents.

Pure functions, no database: the caller passes the doc_ids and receipt_ids it already holds so that
re-receiving the same inbox adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import ftfy

from schemas.models import RawDocument, Receipt

SUPPORTED = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class Limits:
    """Size limits; exceeding one rejects the item with a reason (never a crash)."""

    max_file_bytes: int = 50_000_000
    max_doc_chars: int = 2_000_000
    min_doc_chars: int = 1


class Rejected(Exception):
    """An item that cannot become a document; the message is the receipt's reason."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_for(text: str) -> str:
    """Deterministic document id: hash of the decoded text with whitespace normalised."""
    return "d" + sha256(" ".join(text.split()).encode("utf-8"))[:16]


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: BOMs honoured, UTF-8 first, Latin-1 fallback, mojibake repaired; binary rejected."""
    if not data.strip():
        raise Rejected("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        if data.count(0) > len(data) // 10 or _looks_binary(data[:4096].replace(b"\x00", b"")):
            raise Rejected("binary content (not text)")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    text = text.replace("\x00", "")
    fixed = ftfy.fix_text(text, normalization="NFC")
    if fixed != text:
        encoding += "+repaired"
    return fixed, encoding


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (other than whitespace) mean an image or other binary file."""
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return controls > max(8, len(head) // 50)


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one block element a line; scripts and styles dropped."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
              "header", "footer", "blockquote", "title"}
    SKIP = {"script", "style", "noscript", "template", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: str | None = None
        self.published: str | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: v for k, v in attrs if v}
        if tag == "title" and not self.skipping:
            self._in_title = True
        elif tag in self.SKIP:
            self.skipping += 1
        if tag == "meta" and not self.published:
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if key in {"date", "pubdate", "article:published_time", "datepublished", "dc.date", "publish-date"}:
                self.published = a.get("content")
        if tag == "time" and not self.published and a.get("datetime"):
            self.published = a["datetime"]
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """(visible text, <title>, published date string from meta/time tags)."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    text = re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()
    return text, parser.title or None, parser.published


def parse_published(value) -> dt.date | None:
    """A publication date from metadata: ISO date or datetime; None when absent; ValueError when absurd."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published is not a string: {value!r}"[:80])
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"not a date: {value.strip()[:40]!r}") from None
    if not 1900 <= day.year <= dt.date.today().year + 1:
        raise ValueError(f"not between 1900 and next year: {value.strip()[:40]!r}")
    return day


@dataclass
class Item:
    """One received thing before it is judged: a file, or one line of a .jsonl file."""

    path: str
    line: int | None
    data: bytes
    media_type: str | None
    error: str | None = None  # a reason known before decoding (symlink, size, type, unreadable)
    size: int | None = None  # the file's size when `data` holds only its head (file too large)
    digest: str | None = None  # sha256 of the whole file when `data` holds only its head
    modified: dt.datetime | None = None  # the file's modification time (UTC)


def walk_inbox(inbox: Path, limits: Limits = Limits()) -> Iterator[Item]:
    """Every entry under the inbox in a stable order. Symlinks are never followed (nor read), special files
    (pipes, sockets, devices) never opened, and files are opened with O_NOFOLLOW so that a file swapped for a
    link after listing is not read either: nothing outside the inbox is ever read."""
    inbox = Path(inbox)
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(root, d))):
            full = Path(root) / name
            rel = _display(full.relative_to(inbox).as_posix())
            if name.startswith(".") and not full.is_symlink():
                continue  # hidden files (editor swap files, .DS_Store) are not deliveries
            yield from _file_items(full, rel, limits)


def _display(path: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a Latin-1 name, say) are shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _file_items(full: Path, rel: str, limits: Limits) -> Iterator[Item]:
    try:
        info = full.lstat()
        if stat.S_ISLNK(info.st_mode):
            yield Item(rel, None, b"", None, "symbolic link (not followed)")
            return
        if not stat.S_ISREG(info.st_mode):
            yield Item(rel, None, b"", None, "not a regular file (pipe, socket or device)")
            return
        kind = SUPPORTED.get(full.suffix.lower())
        modified = mtime(info.st_mtime)
        if kind is None or info.st_size > limits.max_file_bytes:
            head, size, digest = _head_and_digest(full)
            error = (f"unsupported file type '{full.suffix or full.name}'" if kind is None else
                     f"file too large ({size} bytes > {limits.max_file_bytes} allowed)")
            yield Item(rel, None, head, kind, error, size=size, digest=digest)
        elif kind == "jsonl":
            yield from _jsonl_items(rel, _read(full), modified)
        else:
            yield Item(rel, None, _read(full), kind, modified=modified)
    except OSError as exc:  # vanished, unreadable, or swapped for a link after listing
        yield Item(rel, None, b"", None, f"cannot read file ({exc.strerror or type(exc).__name__})")


def _open(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _read(path: Path) -> bytes:
    with os.fdopen(_open(path), "rb") as fh:
        return fh.read()


def _head_and_digest(path: Path) -> tuple[bytes, int, str]:
    """The first MiB, the size and the sha256 of a file not read whole (too large or unsupported)."""
    h, size, head = hashlib.sha256(), 0, b""
    with os.fdopen(_open(path), "rb") as fh:
        while chunk := fh.read(1 << 20):
            head = head or chunk
            h.update(chunk)
            size += len(chunk)
    return head, size, h.hexdigest()


def mtime(seconds: float) -> dt.datetime:
    """A file's modification time as a naive UTC timestamp (whole seconds: file systems differ below)."""
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).replace(tzinfo=None)


def _jsonl_items(rel: str, data: bytes, modified: dt.datetime | None = None) -> Iterator[Item]:
    lines = data.split(b"\n")
    if not data.strip():
        yield Item(rel, None, data, "jsonl", "empty file", modified=modified)
        return
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield Item(rel, number, raw.rstrip(b"\r"), "jsonl", modified=modified)


def _document(item: Item, limits: Limits, now: dt.datetime) -> tuple[RawDocument, str | None]:
    """Turn one item into a raw document, or raise Rejected. Returns a note for the receipt, if any."""
    if item.error:
        raise Rejected(item.error)
    title = published = source = None
    note = None
    if item.media_type == "jsonl":
        try:
            obj = json.loads(item.data.decode("utf-8", errors="strict"))
        except UnicodeDecodeError:
            raise Rejected("invalid JSON: not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise Rejected(f"invalid JSON: {exc.msg.lower()} at column {exc.colno}"[:160]) from None
        except RecursionError:
            raise Rejected("invalid JSON: nested too deeply") from None
        if not isinstance(obj, dict):
            raise Rejected("JSON line is not an object")
        text, encoding = obj.get("text"), "utf-8"
        if not isinstance(text, str):
            raise Rejected("missing or non-string 'text'")
        text = ftfy.fix_text(text.replace("\x00", ""), normalization="NFC")
        title = obj.get("title") if isinstance(obj.get("title"), str) else None
        source = obj.get("source") if isinstance(obj.get("source"), str) else None
        try:
            published = parse_published(obj.get("published"))
        except ValueError as exc:
            note = f"ignored invalid published date ({exc})"[:160]
    else:
        text, encoding = decode(item.data)
        if item.media_type == "html":
            text, title, meta_date = html_to_text(text)
            try:
                published = parse_published(meta_date)
            except ValueError:
                note = "ignored invalid published date in HTML metadata"
    if len(text.strip()) < limits.min_doc_chars:
        raise Rejected("empty text")
    if len(text) > limits.max_doc_chars:
        raise Rejected(f"text too long ({len(text)} characters > {limits.max_doc_chars})")
    doc = RawDocument(
        doc_id=doc_id_for(text), path=item.path, line=item.line, media_type=item.media_type or "txt",
        encoding=encoding, title=title, published=published, source=source, text=text, received_at=now,
        modified=item.modified,
    )
    return doc, note


def receive(
    items: Iterable[Item],
    known_receipts: set[str] = frozenset(),
    known_docs: set[str] = frozenset(),
    limits: Limits = Limits(),
    now: dt.datetime | None = None,
) -> tuple[list[Receipt], list[RawDocument]]:
    """Judge each item once: loaded, duplicate (same text as a known document) or rejected with a reason.

    Items whose receipt (same path, line and bytes) is already known are skipped: re-running adds nothing.
    """
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    receipts: list[Receipt] = []
    docs: list[RawDocument] = []
    seen = set(known_docs)
    for item in items:
        digest = item.digest or sha256(item.data)
        receipt_id = sha256(f"{item.path}\x00{item.line}\x00{digest}".encode())[:24]
        if receipt_id in known_receipts:
            continue
        base = dict(receipt_id=receipt_id, path=item.path, line=item.line, sha256=digest,
                    bytes=len(item.data) if item.size is None else item.size, received_at=now)
        try:
            doc, note = _document(item, limits, now)
        except Rejected as exc:
            receipts.append(Receipt(**base, status="rejected", reason=str(exc)))
            continue
        if doc.doc_id in seen:
            receipts.append(Receipt(**base, status="duplicate", reason="same text as an earlier document",
                                    doc_id=doc.doc_id))
            continue
        seen.add(doc.doc_id)
        docs.append(doc)
        receipts.append(Receipt(**base, status="loaded", reason=note, doc_id=doc.doc_id))
    return receipts, docs
