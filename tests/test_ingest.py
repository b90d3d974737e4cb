"""Receiving an inbox: every file (or .jsonl line) gets one receipt; good ones become raw documents."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from pathlib import Path

import pytest

from extraction.ingest import (
    Limits,
    Rejected,
    decode,
    doc_id_for,
    html_to_text,
    parse_published,
    receive,
    sha256,
    walk_inbox,
)

NOW = dt.datetime(2024, 11, 20, 9, 30)
ARREST = "Police arrested a journalist outside the courthouse in Harare on Monday, witnesses said.\n"
STRIKE = "Teachers in Accra went on strike on Tuesday to demand unpaid allowances.\n"


def _png() -> bytes:
    """A real (2x2 pixel) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _receive(inbox: Path, limits: Limits | None = None, **known):
    limits = limits or Limits()
    receipts, docs = receive(walk_inbox(inbox, limits), limits=limits, now=NOW, **known)
    return {(r.path, r.line): r for r in receipts}, docs


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    box.mkdir()
    return box


# --- decode ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\t\r\n  ", "empty file"),
        (_png(), "binary content (not text)"),
    ],
    ids=["empty", "whitespace-only", "png"],
)
def test_decode_rejects_empty_and_binary(data, reason):
    with pytest.raises(Rejected) as caught:
        decode(data)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Protesters gathered in Bogotá.".encode("utf-16"), "Protesters gathered in Bogotá.", "utf-16"),
        (b"\xfe\xff" + "Marchers reached Bogotá.".encode("utf-16-be"), "Marchers reached Bogotá.", "utf-16"),
        (b"\xef\xbb\xbfFarmers blocked the road to Bogot\xc3\xa1.", "Farmers blocked the road to Bogotá.",
         "utf-8-sig"),
        (b"Students marched in Bogot\xe1 on Friday.", "Students marched in Bogotá on Friday.", "latin-1"),
        ("Students marched in BogotÃ¡ on Friday.".encode(), "Students marched in Bogotá on Friday.",
         "utf-8+repaired"),
        ("Nurses protested in Medellín.".encode(), "Nurses protested in Medellín.", "utf-8"),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf8-bom", "latin1", "mojibake", "plain-utf8"],
)
def test_decode_encodings(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_decode_strips_stray_nul_bytes_in_an_article():
    paragraph = ("Police dispersed a crowd of traders in Harare on Monday, witnesses said. " * 3).strip()
    data = paragraph.encode().replace(b"Monday", b"Mon\x00day", 1)
    text, encoding = decode(data)
    assert text == paragraph
    assert "\x00" not in text
    assert encoding == "utf-8"


def test_decode_short_line_with_one_trailing_nul_is_text():
    assert decode(b"Police arrested two men in Harare.\x00")[0] == "Police arrested two men in Harare."


# --- HTML -----------------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
  <title>Traders strike in Kano</title>
  <meta name="date" content="2024-05-03">
  <style>p { color: red } .x:before { content: "injured" }</style>
  <script>var headline = "soldiers killed";</script>
</head>
<body>
  <p>Traders in Kano closed their shops on Friday &amp; marched to the governor's office.</p>
  <script>track("police arrested");</script>
  <div>Police watched the march but made no arrests.</div>
  <noscript>Please enable JavaScript.</noscript>
</body></html>"""


def test_html_drops_scripts_and_styles_and_reads_title_and_meta_date():
    text, title, published = html_to_text(PAGE)
    assert text == (
        "Traders in Kano closed their shops on Friday & marched to the governor's office.\n\n"
        "Police watched the march but made no arrests."
    )
    assert title == "Traders strike in Kano"
    assert published == "2024-05-03"
    for hidden in ("soldiers killed", "police arrested", "color", "injured", "JavaScript"):
        assert hidden not in text


@pytest.mark.parametrize(
    "tag, expected",
    [
        ('<meta property="article:published_time" content="2024-06-01T09:30:00+03:00">',
         "2024-06-01T09:30:00+03:00"),
        ('<meta itemprop="datePublished" content="2024-06-02">', "2024-06-02"),
        ('<time datetime="2024-06-03">3 June</time>', "2024-06-03"),
        ('<meta name="author" content="Staff">', None),
    ],
)
def test_html_published_date_sources(tag, expected):
    _, _, published = html_to_text(f"<html><body>{tag}<p>Farmers blocked the highway.</p></body></html>")
    assert published == expected


def test_html_svg_icon_title_is_not_the_page_title():
    page = ("<html><head><title>Riot police clear square</title></head><body>"
            "<svg><title>Menu</title><path d='M0 0'/></svg><p>Police cleared the square.</p></body></html>")
    assert html_to_text(page)[1] == "Riot police clear square"


# --- published dates in metadata ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("2024-03-02", dt.date(2024, 3, 2)),
        (" 2024-03-02T10:15:00Z", dt.date(2024, 3, 2)),
        ("2024-03-02T10:15:00+01:00", dt.date(2024, 3, 2)),
    ],
)
def test_parse_published_valid(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value", ["2024-02-30", "2024-13-01", "yesterday", 20240302, "1850-06-01", "2999-01-01"]
)
def test_parse_published_absurd_raises(value):
    with pytest.raises(ValueError):
        parse_published(value)


# --- walking and receiving an inbox ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t \n", "empty file"),
        ("photo.txt", _png(), "binary content"),
        ("report.docx", b"PK\x03\x04" + STRIKE.encode(), "unsupported file type '.docx'"),
        ("README", STRIKE.encode(), "unsupported file type 'README'"),
        ("scripts-only.html", b"<html><script>var a = 1;</script></html>", "empty text"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(inbox, name, data, reason):
    (inbox / name).write_bytes(data)
    receipts, docs = _receive(inbox)
    receipt = receipts[(name, None)]
    assert receipt.status == "rejected"
    assert reason in receipt.reason
    assert receipt.doc_id is None
    assert docs == []


def test_good_files_become_documents(inbox):
    (inbox / "harare.txt").write_text(ARREST)
    (inbox / "latin.txt").write_bytes(b"Students marched in Bogot\xe1 on Friday.\n")
    (inbox / "mojibake.md").write_text("Students marched in BogotÃ¡ on Saturday.\n")
    (inbox / "kano.html").write_text(PAGE)
    receipts, docs = _receive(inbox)
    assert {r.status for r in receipts.values()} == {"loaded"}
    by_path = {d.path: d for d in docs}
    assert by_path["harare.txt"].text == ARREST
    assert by_path["harare.txt"].doc_id == doc_id_for(ARREST)
    assert by_path["latin.txt"].text.startswith("Students marched in Bogotá")
    assert by_path["latin.txt"].encoding == "latin-1"
    assert "Bogotá on Saturday" in by_path["mojibake.md"].text
    assert by_path["mojibake.md"].media_type == "md"
    kano = by_path["kano.html"]
    assert (kano.media_type, kano.title) == ("html", "Traders strike in Kano")
    assert kano.published == dt.date(2024, 5, 3)
    assert "track(" not in kano.text
    for r in receipts.values():
        assert r.doc_id == by_path[r.path].doc_id
        assert r.sha256 == sha256((inbox / r.path).read_bytes())
        assert r.received_at == NOW


def test_walk_is_sorted_recursive_and_skips_hidden_files(inbox):
    (inbox / "b.txt").write_text(STRIKE)
    (inbox / "a.txt").write_text(ARREST)
    (inbox / "kenya").mkdir()
    (inbox / "kenya" / "nairobi.md").write_text("Hawkers protested in Nairobi on Monday.\n")
    (inbox / ".a.txt.swp").write_bytes(b"\x00\x01")
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    assert [item.path for item in walk_inbox(inbox)] == ["a.txt", "b.txt", "kenya/nairobi.md"]


def test_symlinks_are_rejected_and_never_read(tmp_path, inbox):
    secret = tmp_path / "outside.txt"
    secret.write_text("Confidential: this text lives outside the inbox.\n")
    outside_dir = tmp_path / "elsewhere"
    outside_dir.mkdir()
    (outside_dir / "hidden.txt").write_text("Another file outside the inbox.\n")
    (inbox / "link.txt").symlink_to(secret)
    (inbox / "dangling.txt").symlink_to(tmp_path / "does-not-exist.txt")
    (inbox / "linked-dir").symlink_to(outside_dir, target_is_directory=True)

    items = {item.path: item for item in walk_inbox(inbox)}
    assert set(items) == {"link.txt", "dangling.txt", "linked-dir"}  # nothing walked inside the linked dir
    for item in items.values():
        assert item.data == b""
        assert item.error == "symbolic link (not followed)"

    receipts, docs = _receive(inbox)
    assert docs == []
    for receipt in receipts.values():
        assert receipt.status == "rejected"
        assert receipt.reason == "symbolic link (not followed)"
        assert (receipt.bytes, receipt.sha256) == (0, sha256(b""))


def test_jsonl_lines_are_judged_one_by_one(inbox):
    lines = [
        json.dumps({"text": "Soldiers clashed with rebels near Goma on Sunday.", "published": "2024-02-30",
                    "title": "Clashes near Goma", "source": "Wire"}),
        '{"text": "Gunmen abducted two traders", ',
        json.dumps({"title": "A headline without a body"}),
        json.dumps({"text": 42}),
        json.dumps(["Police arrested five men."]),
        "",
        json.dumps({"text": "Nurses staged a sit-in at the hospital in Kisumu.", "published": "2024-03-04"}),
    ]
    (inbox / "feed.jsonl").write_text("\n".join(lines) + "\n")
    receipts, docs = _receive(inbox)

    assert sorted(line for _, line in receipts) == [1, 2, 3, 4, 5, 7]  # blank line 6 is not an item
    first = receipts[("feed.jsonl", 1)]
    assert first.status == "loaded"
    assert "ignored invalid published date" in first.reason
    assert receipts[("feed.jsonl", 2)].reason.startswith("invalid JSON")
    assert receipts[("feed.jsonl", 3)].reason == "missing or non-string 'text'"
    assert receipts[("feed.jsonl", 4)].reason == "missing or non-string 'text'"
    assert receipts[("feed.jsonl", 5)].reason == "JSON line is not an object"
    assert receipts[("feed.jsonl", 7)].status == "loaded"

    by_line = {d.line: d for d in docs}
    assert set(by_line) == {1, 7}
    assert (by_line[1].published, by_line[1].title, by_line[1].source) == (None, "Clashes near Goma", "Wire")
    assert by_line[7].published == dt.date(2024, 3, 4)
    assert all(d.media_type == "jsonl" and d.path == "feed.jsonl" for d in docs)


def test_jsonl_text_is_repaired_and_crlf_tolerated(inbox):
    line = json.dumps({"text": "Students marched in BogotÃ¡ on Friday.\x00"}, ensure_ascii=False)
    (inbox / "feed.jsonl").write_bytes(line.encode() + b"\r\n")
    receipts, docs = _receive(inbox)
    assert receipts[("feed.jsonl", 1)].status == "loaded"
    assert docs[0].text == "Students marched in Bogotá on Friday."


def test_empty_jsonl_file_is_one_rejected_receipt(inbox):
    (inbox / "feed.jsonl").write_text("\n  \n")
    receipts, docs = _receive(inbox)
    assert list(receipts) == [("feed.jsonl", None)]
    assert receipts[("feed.jsonl", None)].reason == "empty file"
    assert docs == []


def test_identical_content_is_a_duplicate_of_the_first(inbox):
    (inbox / "a.txt").write_text(ARREST)
    (inbox / "b.txt").write_text("  " + ARREST.replace(" ", "  ") + "\n\n")  # same words, other spacing
    receipts, docs = _receive(inbox)
    first, second = receipts[("a.txt", None)], receipts[("b.txt", None)]
    assert first.status == "loaded"
    assert second.status == "duplicate"
    assert second.doc_id == first.doc_id
    assert [d.path for d in docs] == ["a.txt"]


def test_receiving_again_with_known_receipts_adds_nothing(inbox):
    (inbox / "a.txt").write_text(ARREST)
    (inbox / "b.txt").write_text(ARREST)
    (inbox / "feed.jsonl").write_text(json.dumps({"text": STRIKE}) + "\n{broken\n")
    (inbox / "c.png").write_bytes(_png())
    receipts, docs = receive(walk_inbox(inbox), now=NOW)
    assert len(receipts) == 5 and len(docs) == 2

    again, new_docs = receive(walk_inbox(inbox), known_receipts={r.receipt_id for r in receipts},
                              known_docs={d.doc_id for d in docs}, now=NOW)
    assert (again, new_docs) == ([], [])


def test_new_file_with_known_text_is_a_duplicate_and_changed_file_is_new(inbox):
    (inbox / "a.txt").write_text(ARREST)
    receipts, docs = _receive(inbox)
    known = {"known_receipts": {r.receipt_id for r in receipts.values()},
             "known_docs": {d.doc_id for d in docs}}

    (inbox / "copy.txt").write_text(ARREST)
    (inbox / "a.txt").write_text(ARREST + "He was released on bail on Wednesday.\n")
    later, later_docs = _receive(inbox, **known)
    assert later[("copy.txt", None)].status == "duplicate"
    assert later[("copy.txt", None)].doc_id == docs[0].doc_id
    assert later[("a.txt", None)].status == "loaded"
    assert [d.path for d in later_docs] == ["a.txt"]
    assert later_docs[0].doc_id != docs[0].doc_id


def test_receipt_ids_are_stable_across_runs(inbox):
    (inbox / "a.txt").write_text(ARREST)
    first, _ = receive(walk_inbox(inbox), now=NOW)
    second, _ = receive(walk_inbox(inbox), now=NOW + dt.timedelta(days=1))
    assert [r.receipt_id for r in first] == [r.receipt_id for r in second]


def test_file_over_the_size_limit_is_rejected(inbox):
    limit = len(ARREST.encode())
    (inbox / "fits.txt").write_text(ARREST)  # exactly at the limit
    (inbox / "big.txt").write_text(ARREST + STRIKE)
    (inbox / "big.jsonl").write_text(json.dumps({"text": ARREST + STRIKE}) + "\n")
    receipts, docs = _receive(inbox, Limits(max_file_bytes=limit))
    assert receipts[("fits.txt", None)].status == "loaded"
    for name in ("big.txt", "big.jsonl"):
        receipt = receipts[(name, None)]
        assert receipt.status == "rejected"
        assert receipt.reason.startswith("file too large")
        assert f"> {limit}" in receipt.reason
    assert [d.path for d in docs] == ["fits.txt"]


def test_text_over_the_character_limit_is_rejected(inbox):
    (inbox / "long.txt").write_text(ARREST * 3)
    receipts, docs = _receive(inbox, Limits(max_doc_chars=len(ARREST) * 2))
    assert receipts[("long.txt", None)].reason.startswith("text too long")
    assert docs == []


def test_every_item_gets_exactly_one_receipt(inbox):
    (inbox / "a.txt").write_text(ARREST)
    (inbox / "b.txt").write_text(ARREST)
    (inbox / "empty.md").write_text("")
    (inbox / "x.pdf").write_bytes(b"%PDF-1.7")
    feed = [json.dumps({"text": STRIKE}), "nope", json.dumps({"text": 1})]
    (inbox / "feed.jsonl").write_text("\n".join(feed))
    items = list(walk_inbox(inbox))
    receipts, _ = receive(items, now=NOW)
    assert len(receipts) == len(items) == 7
    assert len({r.receipt_id for r in receipts}) == 7
    for r in receipts:
        assert (r.status == "rejected") == (r.doc_id is None)
        assert r.status != "rejected" or r.reason


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(tmp_path, inbox):
    from extraction import ingest

    (tmp_path / "outside.txt").write_text("Text outside the inbox.")
    (inbox / "late.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(OSError):  # O_NOFOLLOW: the link itself is refused, its target never opened
        ingest._read(inbox / "late.txt")


def test_an_unreadable_or_vanished_file_is_a_rejection_not_a_crash(inbox, monkeypatch):
    from extraction import ingest

    (inbox / "locked.txt").write_text(ARREST)
    (inbox / "ok.txt").write_text(STRIKE)

    def refuse(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return path.read_bytes()

    monkeypatch.setattr(ingest, "_read", refuse)
    receipts, docs = _receive(inbox)
    assert receipts[("locked.txt", None)].reason == "cannot read file (Permission denied)"
    assert [d.path for d in docs] == ["ok.txt"]
