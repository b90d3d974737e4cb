"""Clean a raw document: paragraphs, boilerplate and repeated paragraphs removed, title, date, dateline, language.

The cleaned text is what evidence spans point into, so every later step works on it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from extraction.dates import standalone_date
from extraction.gazetteer import country
from schemas.models import RawDocument, StagedDocument

# Lines that carry no reporting: feed banners, AI disclaimers, share widgets, stray counters.
FILE_MTIME = "file_mtime"  # published_from of a date taken from the file's modification time
_BOILERPLATE = re.compile(
    r"^\W*\d{0,3}\W*$"
    r"|generated (?:with|by|using) (?:ai|artificial intelligence)|generative ai|your feed is customi[sz]ed"
    r"|trending (?:news|online)|latest and trending|^the latest (?:news|headlines)"
    r"|^(?:click|tap) here|^(?:subscribe|sign up)\b|all rights reserved|^copyright\b|^©"
    r"|^(?:share|follow us|read more|related|advertisement|sponsored)\b\W*(?:on|this|:|$)"
    r"|^(?:photo|image|video)\s*(?:credit)?\s*:",
    re.I,
)
_MARKUP = re.compile(r"\*\*|__|^#{1,6}\s*|^>\s*|^[-*]\s+(?=\S)", re.M)
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")

# Distinctive function words per language: enough to tell an English paragraph from a Dutch headline.
_STOPWORDS = {
    "en": "the of and to in is was were that with for on by from have has had are be been this which who a an at as "
          "after against near their they".split(),
    "es": "el la los las de del que y en por con para una un es fue se al su sus como más".split(),
    "nl": "de het een van en in is op te die dat niet met zijn voor werd werden na bij naar mensen".split(),
    "fr": "le la les des du de et en un une est sont pour dans par sur que qui au aux avec été".split(),
    "de": "der die das und ist nicht mit den dem ein eine zu von auf für im wurde wurden sich".split(),
    "pt": "o os de da dos das e em um uma que para com por foi são não mais".split(),
}

# "CARACAS, Venezuela (AP) —", "LIMA, 3 JAN 90 (EFE) --", "PANAMA CITY (PANAMA), 26 JAN 89 (ACAN) --":
# the filing place, a country or agency in brackets, a wire date and a source; the place is what is kept.
_WIRE_DATE = r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{2,4})?|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z\u00C0-\u024F.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z\u00C0-\u024F.' -]{1,30})?)"
    r"\s*(?:\((?P<bracket>[A-Za-z .&]{1,20})\))?"
    rf"(?:\s*,\s*{_WIRE_DATE}(?:\s*\([^)\n]{{1,50}}\))?)?\s*(?:[-—–]{{1,2}}|:)\s+(?=\S)"
)


# "[EXCERPTS] ", "[TEXT] ": editors' tags after a dateline, before a story relayed with its own dateline
_TAGS = re.compile(r"(?:\[[A-Z ]{2,20}\]\s*)*")


@dataclass
class Cleaned:
    title: str | None
    published: dt.date | None
    published_from: str | None
    dateline: str | None
    paragraphs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    removed: int = 0

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def normalise(text: str) -> str:
    """Unicode NFC, unified newlines, no control characters, no zero-width or non-breaking spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b-\u200d\ufeff\u2060]", "", text).replace("\u00a0", " ")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a line is its own paragraph unless it is wrapped prose."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", _MARKUP.sub("", text)):
        lines = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        current = ""
        for line in lines:
            wrapped = current and not _SENTENCE_END.search(current) and line[:1].islower()
            if wrapped:
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def language(paragraph: str) -> str:
    """Language of a paragraph by distinctive function words; 'und' when too short to tell.  Capitalised words
    are names ("Al Sheikh", "La Paz", "De Beers") unless the whole text is in one case."""
    cased = paragraph != paragraph.lower() and paragraph != paragraph.upper()
    pattern = r"(?:^|(?<=[.!?:]\s))[A-ZÀ-Þ][a-zà-ÿ]*|\b[a-zà-ÿ]+" if cased else r"[a-zà-ÿ]+"
    words = [w.lower() for w in re.findall(pattern, paragraph if cased else paragraph.lower())]
    if not words:
        return "und"
    scores = {lang: sum(map(stop.__contains__, words)) for lang, stop in _STOPWORD_SETS.items()}
    best, score = max(scores.items(), key=lambda kv: kv[1])
    if score == 0 or (len(words) < 4 and score < 2):
        return "und"
    return best


_STOPWORD_SETS = {lang: frozenset(words) for lang, words in _STOPWORDS.items()}


def _key(paragraph: str) -> str:
    return " ".join(re.findall(r"\w+", paragraph.lower()))


def dateline(paragraphs: list[str]) -> str | None:
    """'CARACAS, Venezuela (AP) —' or '**Caracas, Venezuela** -' at the start of an early paragraph."""
    for para in paragraphs[:6]:
        m = DATELINE.match(para)
        if m and len(para) > len(m.group(0)) + 20:
            rest = para[_TAGS.match(para, m.end()).end() :]
            relayed = DATELINE.match(rest)
            if relayed and re.search(r"\d", relayed.group(0)) and len(rest) > len(relayed.group(0)) + 20:
                m = relayed  # "MEXICO CITY, 2 MAY 90 (NOTIMEX) -- [EXCERPTS] SAN SALVADOR, 2 MAY (NOTIMEX) --"
            place = m["place"].strip()
            if place.split(",")[0].strip().lower() not in {"update", "breaking", "note", "editor's note"}:
                if "," not in place and m["bracket"] and country(m["bracket"]) is not None:
                    place = f"{place}, {m['bracket']}"  # "PANAMA CITY (PANAMA)": the bracket names the country
                return ", ".join(p.strip().title() if p.isupper() else p.strip() for p in place.split(","))
    return None


def clean(doc: RawDocument) -> Cleaned:
    """The cleaning steps in order: normalise, split, drop boilerplate, dedupe, find metadata."""
    paragraphs = split_paragraphs(normalise(doc.text))
    kept: list[str] = []
    seen: set[str] = set()
    removed = 0
    published, published_from = doc.published, "metadata" if doc.published else None
    for i, para in enumerate(paragraphs):
        key = _key(para)
        if not key or _BOILERPLATE.search(para) or key in seen:
            removed += 1
            continue
        if i < 8 and (day := standalone_date(para)) is not None:
            if published is None:
                published, published_from = day, "text"
            removed += 1
            continue
        seen.add(key)
        kept.append(para)
    if published is None and doc.modified is not None:  # the date of last resort: the input's, not the clock's
        published, published_from = doc.modified.date(), FILE_MTIME
    title = (doc.title or "").strip() or None
    if title is None and kept and len(kept[0].split()) <= 20 and not kept[0].endswith("."):
        title = kept[0]
    return Cleaned(
        title=title, published=published, published_from=published_from, dateline=dateline(kept),
        paragraphs=kept, languages=[language(p) for p in kept], removed=removed,
    )


def stage(doc: RawDocument) -> StagedDocument:
    """A raw document as a staging row."""
    c = clean(doc)
    counts = Counter(lang for lang in c.languages if lang != "und")
    return StagedDocument(
        doc_id=doc.doc_id, title=c.title, published=c.published, published_from=c.published_from,
        dateline=c.dateline, language=counts.most_common(1)[0][0] if counts else "und",
        paragraph_languages=c.languages, text=c.text, n_paragraphs=len(c.paragraphs), removed_lines=c.removed,
    )
