"""Place names in free text: :func:`scan`, greedy longest match over tokens with stop lists, casing (when
the text has any) and the words around a name deciding what is a place."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass

from extraction.places.index import (
    _ADMIN2_WORDS,
    _ARTICLES,
    _RESPELLED_TOWN,
    _SUFFIX_KINDS,
    _Gazetteer,
    _gazetteer,
    _usable_candidates,
)
from extraction.places.names import (
    DATA,
    Country,
    Place,
    _as_country,
    _countries,
    _package_file,
    country,
    normalize,
    tokens,
)

# --------------------------------------------------------------------------------------------------
# Free-text scanning
# --------------------------------------------------------------------------------------------------

_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday "
    "mon tue tues wed thu thur thurs fri sat sun".split()
)
# Single words that, even capitalised, are (nearly) never a place in news text.
_NEWS_WORDS = frozenset(
    """
    said says say told police army navy union university government president minister ministry city
    state states county province region district village town capital central north south east west
    northern southern eastern western northeast northwest southeast southwest national international
    security military forces force party council court church mosque congress parliament senate
    republic kingdom federal democratic united islamic christian muslim catholic jewish arab new saint
    san santa st mount lake river port fort reuters press news media agency times post people group
    official officials general governor mayor prime chief hamas allah obama trump google toyota honda
    nokia mobil amazon independence liberty victory freedom justice peace hope unity progress taliban
    hezbollah houthi houthis shabaab isis isil nato wagner kremlin pentagon christmas easter ramadan eid
    ashura diwali hanukkah passover thanksgiving sunni shia shiite alawite druze kurd kurds kurdish
    pashtun baloch tamil sikh hindu rohingya igbo hausa yoruba fulani oromo tigrayan maasai kikuyu luo
    tuareg berber america americas africa asia europe eurasia tribune herald guardian observer telegraph
    monitor standard nation nations express mirror independent vanguard online radio xinhua anadolu
    tass interfax bernama irna wafa liberation alliance rapid sham jama jamaat abu bin ibn gulf fano
    officer marshal federation confederation molotov
    """.split()
)
# Common English words that are also names of sizeable places ("Reading", "Split", "Nice", "Man",
# "Mobile").  They never match in lower-cased text and not as the first word of a sentence.
_COMMON_WORDS = frozenset(
    """
    airport alley alliance amen angle annex area bag bake ban bank bar barn basic bat bath bay bear bell
    bend best big bone born bow brick bright bush buy camp canal car cars center centre chair champion
    clay coin colony coma come commonwealth cone crossroads crystal dam date dawn deal delta dome drama
    drug dual eagle elbow enterprise era ever fair faith falcon fate far fleet forest fountain frontier
    garden gate glory gold golden grace grand grass green grove gulf hail hall harmony haven hill hit
    holiday home hook horn hub human hunter imperial island jersey junction key kilo king lag lakes
    laurel lemon liberal lime linen lion log lone love luck male mall man market mentor mile mine
    mission mobile more most name nation nice normal oasis officer okay opera opportunity oral orange
    ox pal palm pan panda paradise park patience pearl pet pets plain plains plantation plateau plaza
    plum point pool pop pre prospect punch reading rest retreat rich rise rivers rock rose roses rugby
    sale salt same save seen set shut side slaughter sole spa split spoken spring springs star station
    store success summit sun sunrise sunset superior surprise tale tall tank tape tell temple time torn
    tour tours trap tune turn valley van vine vista walnut wave wedding worms yen
    """.split()
)
# Words before a capitalised name that make it a person ("President Obama", "Mr Lincoln").
_TITLES = frozenset(
    """
    mr mrs ms miss dr president vice gen general minister senator sen rep representative judge prof
    professor sir lord lady king queen prince princess sheikh imam pope bishop father col colonel capt
    captain lt lieutenant sgt sergeant major commander chief governor mayor ambassador secretary
    spokesman spokeswoman spokesperson brother sister uncle aunt mister madam dame emir sultan
    """.split()
)
# Capitalised neighbours that do not turn a place name into a person or organisation name.
_CONTEXT_WORDS = frozenset(
    """
    airport port camp market bridge road street hospital school mosque church prison checkpoint border
    crossing base barracks station stadium square area neighbourhood neighborhood suburb suburbs
    outskirts municipality valley river mountains hills highway junction township al el ad as ar ash at
    az an la le les los las de del da do dos das di du
    """.split()
)
# Multi-word names that are institutions or regions of the world, not the places of that name.
_NEVER_PHRASES = frozenset(
    {
        "white house",
        "red cross",
        "red crescent",
        "middle east",
        "supreme court",
        "high court",
        "security council",
        "general assembly",
        "islamic state",
        "state house",
        "human rights",
        "new year",
        "world bank",
    }
)
# A natural feature named after a town: "Juba River", "Lake Victoria" is not Victoria.
_FEATURE_WORDS = frozenset(
    "river sea ocean lake mountains mountain valley gulf strait desert peninsula basin canal falls "
    "delta dam square street junction roundabout avenue boulevard streets avenues".split()  # "Al Karama square"
)
# "Sarmiento and San Martin streets": the first of two streets named together.
_STREETS_AFTER = re.compile(r"\s+and\s+(?:[\w'’.-]+\s+){1,3}(?:streets|avenues|roads)\b", re.I)
# Countries whose hamlets are often named with plain English words.
# Words after which a name in lower-cased or ALL CAPS text is where something happened.
_LOCATIVES = frozenset("in near at outside around of".split())
_LOOSE_LOCATIVE_POPULATION = 1_000
_ENGLISH_SPEAKING = frozenset({"US", "GB", "CA", "AU", "NZ", "IE"})
_SCAN_MIN_ALTERNATE_POPULATION = 5_000
_NAME_GAP = re.compile(r"[ \t\u00a0]{1,2}|[ \t]?[-'’‘`][ \t]?")
_SPACE_GAP = re.compile(r"[ \t\u00a0]{1,2}|-")
_CONTAINER_GAP = re.compile(r"\s*[,(]\s*|\s+(?:in|of)\s+(?:the\s+)?")
_SENTENCE_BREAK = re.compile(r"[.!?:;\n•]")


@functools.cache
def _english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from its source file without importing spaCy (slow)."""
    try:
        path = _package_file("spacy", "lang", "en", "stop_words.py")
        spec = importlib.util.spec_from_file_location("_spacy_en_stop_words", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return frozenset(normalize(word) for word in module.STOP_WORDS if normalize(word))
    except (ImportError, OSError, RuntimeError, AttributeError):
        return frozenset("a an and are as at be by for from in into is it of on or the to with".split())


@functools.cache
def _english_words() -> frozenset[str]:
    """Words English news writes in lower case (data/english_words.txt, built by
    scripts/build_english_words.py from the ACLED training notes)."""
    path = DATA / "english_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


@functools.cache
def _never_words() -> frozenset[str]:
    """Single words never accepted as a place by :func:`scan`."""
    return _english_stop_words() | _MONTHS_AND_DAYS | _NEWS_WORDS | _TITLES


_NO_PLACE = -1  # a _Match's row for words that name no place the scan returns, but are read as one name


@dataclass
class _Match:
    first: int  # token index of the first word
    stop: int  # token index after the last word (including an absorbed "city"/"province" suffix)
    key: str  # normalised name without the suffix
    row: int


class _Scanner:
    """One pass of :func:`scan` over a text: tokenise once, then greedy longest match per position."""

    def __init__(self, g: _Gazetteer, text: str, context: Country | None) -> None:
        self.g, self.text, self.context = g, text, context
        split = tokens(text)
        self.spans, self.words, self.norms, self.gaps, self.cased = split.spans, split.words, split.norms, \
            split.gaps, split.cased
        self.never = _never_words()
        self.index, self.prefixes = g.index, g.prefixes  # read at every word: no property lookups
        # Where a name may begin: a capitalised word (cased text), else a word that is a name or a name's first
        # word. Most words are neither; :meth:`_match_at` is asked only about the others.
        if self.cased:
            self.may_start = [word[:1].isupper() for word in self.words]
        else:
            index, prefixes = self.index, self.prefixes
            self.may_start = [norm in index or norm in prefixes for norm in self.norms]

    def run(self) -> list[tuple[int, int, Place]]:
        matches: list[_Match] = []
        k, may_start = 0, self.may_start
        while k < len(self.words):
            if not may_start[k]:
                k += 1
                continue
            match = self._match_at(k)
            if match is None:
                k += 1
            else:
                matches.append(match)
                k = match.stop
        matches = [m for m in matches if m.row != _NO_PLACE]
        self._refine_with_containers(matches)
        return [(self.spans[m.first][0], self.spans[m.stop - 1][1], self.g.place(m.row)) for m in matches]

    # -- matching ---------------------------------------------------------------------------------

    def _joinable(self, k: int) -> bool:
        """May words k and k+1 belong to one name?  Spaces, hyphens, apostrophes, "St. X"."""
        gap = self.gaps[k]
        return bool(_NAME_GAP.fullmatch(gap)) or (gap.rstrip() == "." and len(self.words[k]) <= 3)

    def _match_at(self, first: int) -> _Match | None:
        """Longest acceptable name starting at word ``first``."""
        if not self.may_start[first]:
            return None  # not capitalised (cased text), or no name begins with this word (other text)
        norms, prefixes, index = self.norms, self.prefixes, self.index
        reach = first + 1  # past the longest run of joined words (as long as a name) that some name begins
        while (reach < len(norms) and reach - first < self.g.max_tokens and self._joinable(reach - 1)
               and " ".join(norms[first:reach]) in prefixes):
            reach += 1
        for stop in range(reach, first, -1):
            if self.cased and not any(map(self._capitalised, range(self._word_start(stop - 1), stop))):
                continue  # last word capitalised: "Dar es Salaam", "Sana'a", "ez-Zor"; not "Kano police"
            key = " ".join(norms[first:stop])
            if key not in index:
                continue
            match = self._accept(first, stop, key)
            if match is not None:
                return match
        return self._respelled(first, self._limit(first)) if self.cased else None

    def _limit(self, first: int) -> int:
        """Past the longest run of joined words from word ``first`` that a name may span."""
        limit = first + 1
        while limit < len(self.words) and limit - first < self.g.max_tokens and self._joinable(limit - 1):
            limit += 1
        return limit

    def _respelled(self, first: int, limit: int) -> _Match | None:
        """A region or big town written with letters doubled or not ("Wassit province", "Hassakeh"): the only
        known name that reads the same with single letters."""
        for stop in range(min(limit, first + 3), first, -1):
            known = self.g.respelled(" ".join(self.norms[first:stop]))
            if known is None or self._rejected(first, stop, known):
                continue
            row = self._resolve(first, stop, known)
            if row is not None and (self.g.kind[row] != "town" or self.g.population[row] >= _RESPELLED_TOWN):
                return _Match(first, stop, known, row)
        return None

    def _accept(self, first: int, stop: int, key: str) -> _Match | None:
        """Resolve words first..stop as a place, honouring a following "city"/"province"/... word."""
        suffix = (
            self.norms[stop] if stop < len(self.words) and _SPACE_GAP.fullmatch(self.gaps[stop - 1]) else ""
        )
        if suffix in _SUFFIX_KINDS:
            wanted = _SUFFIX_KINDS[suffix]
            if not self._rejected(first, stop, key, admin_suffix=wanted == "admin1"):
                kind = "town" if wanted == "town" else None
                prefer = "admin1" if wanted == "admin1" else None
                row = self._resolve(first, stop, key, kind=kind, prefer=prefer, admin2=suffix in _ADMIN2_WORDS)
                if row is not None and self.g.kind[row] == "country" and suffix in _ADMIN2_WORDS:
                    return _Match(first, stop + 1, key, _NO_PLACE)  # "the Villa El Salvador district": no country
                if row is not None and (
                    wanted != "admin1" or self.g.kind[row] == "admin1" or not self._rejected(first, stop, key)
                ):
                    return _Match(first, stop + 1, key, row)
        if self._rejected(first, stop, key):
            return None
        row = self._resolve(first, stop, key)
        if row is None or self._part_of_other_name(first, stop, row):
            return None
        if self.g.kind[row] == "country" and self._tail_of_known_name(first, stop):
            return _Match(first, stop, key, _NO_PLACE)  # "IN VILLA EL SALVADOR" (Lima): a place named for it
        return _Match(first, stop, key, row)

    def _tail_of_known_name(self, first: int, stop: int) -> bool:
        """Do the word before a name and the name make a longer name the gazetteer knows (one too small to be
        read here)? Then a country name is that place's, not the country's ("Villa El Salvador", Peru)."""
        return (first > 0 and self._joinable(first - 1) and self.norms[first - 1] not in self.never
                and " ".join(self.norms[first - 1 : stop]) in self.index)

    def _rejected(self, first: int, stop: int, key: str, admin_suffix: bool = False) -> bool:
        """Stop-list checks: months, days, stop words, demonyms and news words never; common words
        never in lower-cased text nor first in a sentence.  A following "State"/"Province" rescues a
        region named like a word ("Unity State", "Rivers State", "Somali Region")."""
        tokens = key.split()
        if key in _MONTHS_AND_DAYS or key in _NEVER_PHRASES:
            return True
        loose = self._loose(first, stop)
        if len(tokens) > 1:  # "North East", "Central West": generic unless a "Province" follows
            return not admin_suffix and all(token in self.never for token in tokens)
        if admin_suffix or (self.cased and self.words[first].isupper() and key in self.g.upper_keys):
            return False
        if key in self.never or key in _countries().demonyms:  # "Somali" is also an Ethiopian region
            return True
        if key in _COMMON_WORDS and (loose or self._sentence_initial(first)):
            return True
        if self.cased and self.words[first].isupper() and len(key) <= 3:  # acronyms: "UN", "AFP"
            return True
        return loose and len(key) <= 2

    def _resolve(
        self,
        first: int,
        stop: int,
        key: str,
        *,
        kind: str | None = None,
        prefer: str | None = None,
        admin2: bool = False,
    ) -> int | None:
        """Best row for the key: in the context country if given, else big places anywhere."""
        upper = self.cased and all(self.words[k].isupper() for k in range(first, stop))
        loose = self._loose(first, stop)
        minimum = 50_000 if loose else (10_000 if len(key) <= 2 else 0)
        # "KILLED IN ZACATECOLUCA", "IN NORTHERN ZACATECOLUCA CITY": a town of the document's country
        where = bool(minimum) and self.context is not None and (
            self._where_named(first, stop) or kind == "town" and not any(
                self.norms[k] in _english_words() or self.norms[k] in self.never for k in range(first, stop)))
        return _resolve_row(self.g, key, upper, stop - first == 1, loose, where, self.context, kind, prefer, admin2)

    def _part_of_other_name(self, first: int, stop: int, row: int) -> bool:
        """Part of a person's, organisation's or feature's name rather than the town itself.

        A title before it ("President Obama"); a natural feature after it ("Juba River"); or, for
        towns under 100k, a capitalised neighbour that is not a place word ("David Smith",
        "Bar-Sanguun", "Supreme Court").
        """
        before = first - 1 if first > 0 and _SPACE_GAP.fullmatch(self.gaps[first - 1]) else None
        after = stop if stop < len(self.words) and _SPACE_GAP.fullmatch(self.gaps[stop - 1]) else None
        if after is not None and self.norms[after] in _FEATURE_WORDS:
            return True  # a region's name too: "O'Higgins avenue", "Bolivar square"
        if _STREETS_AFTER.match(self.text, self.spans[stop - 1][1]):
            return True
        if self.g.kind[row] == "admin1":
            return False
        if self.g.kind[row] == "town" and not self.cased:  # "COL RIVERA", "RUBEN ZAMORA": a person
            return (before is not None and self.norms[before] in _TITLES) or self._foreign_word(before) \
                or self._foreign_word(after)
        if self.g.kind[row] != "town":
            return False
        if before is not None and self.norms[before] in _TITLES:
            return True
        if self._article_joined(before, -1) or self._article_joined(after, 1):
            return True
        if self.g.population[row] >= 100_000:
            return False
        if after is not None and self.words[after].isdigit():  # "Sector 28", "Block 5": a numbered part of a city
            return True
        if before is not None and self._capitalised(before) and not self._context_word(before, leading=True):
            return True
        return after is not None and self._capitalised(after) and not self._context_word(after, leading=False)

    # -- helpers ----------------------------------------------------------------------------------

    def _where_named(self, first: int, stop: int) -> bool:
        """In text whose casing says nothing: a name after "in", "near", "at", "outside", "town of", made of
        no English word, names where something happened ("AN ATTACK IN SUCHITOTO")."""
        if first == 0 or not _SPACE_GAP.fullmatch(self.gaps[first - 1]) or self.cased:
            return False
        if self.norms[first - 1] not in _LOCATIVES:
            return False
        return not any(self.norms[k] in _english_words() or self.norms[k] in self.never for k in range(first, stop))

    def _foreign_word(self, k: int | None) -> bool:
        """In text whose casing says nothing: is word k, joined to a town name, neither English nor a word
        that may stand by a place?  Then the two are one longer name, a person's or a group's ("RUBEN
        ZAMORA", "NORBERTO RODRIGUEZ"), not the town."""
        if k is None or not self.words[k].isalpha():
            return False
        norm = self.norms[k]
        return not (norm in _english_words() or norm in self.never or norm in _CONTEXT_WORDS
                    or norm in _SUFFIX_KINDS or norm in _FEATURE_WORDS or country(self.words[k]) is not None)

    def _article_joined(self, k: int | None, step: int) -> bool:
        """Is word k an Arabic article joining the name to a capitalised word beyond it ("Qabr al Kabir",
        "Ain al Arab", "Ras Al Ain"): the name is then part of a longer one GeoNames lacks."""
        if k is None or self.norms[k] not in _ARTICLES or self.norms[k] in ("at", "an", "as"):  # English words
            return False
        beyond = k + step
        gap = k if step > 0 else beyond
        return 0 <= beyond < len(self.words) and bool(_NAME_GAP.fullmatch(self.gaps[gap])) and self._capitalised(
            beyond)

    def _word_start(self, k: int) -> int:
        """First token of the whitespace-delimited word containing token k ("Sana" in "Sana'a")."""
        while k > 0 and not any(ch.isspace() for ch in self.gaps[k - 1]):
            k -= 1
        return k

    def _capitalised(self, k: int) -> bool:
        return self.words[k][:1].isupper()

    def _loose(self, first: int, stop: int) -> bool:
        """Capitalisation carries no information: lower-cased text or an all-caps span."""
        return not self.cased or all(self.words[k].isupper() for k in range(first, stop))

    def _sentence_initial(self, k: int) -> bool:
        return k == 0 or bool(_SENTENCE_BREAK.search(self.gaps[k - 1]))

    def _context_word(self, k: int, *, leading: bool) -> bool:
        """Capitalised word that may stand next to a town name: "In", "Central", "Airport", "Somali";
        after the name, institutions ("Court", "University", "Police") do not count."""
        norm = self.norms[k]
        words = _english_stop_words() if not leading else self.never
        return (
            norm in words
            or norm in _CONTEXT_WORDS
            or norm in _SUFFIX_KINDS
            or country(self.words[k]) is not None
        )

    def _refine_with_containers(self, matches: list[_Match]) -> None:
        """Re-resolve a name inside the region or country that follows it: "Kismaayo, Lower Juba",
        "Lima (Peru)", "Ariha in Idleb".  Right to left, so in "A, B, Somalia" B is settled before A."""
        for left, right in reversed(list(zip(matches, matches[1:], strict=False))):
            container = right.row
            between = self.text[self.spans[left.stop - 1][1] : self.spans[right.first][0]]
            if not _CONTAINER_GAP.fullmatch(between):
                continue
            # a town stands for its region here: "Ariha in Idleb" (Idlib is also the city)
            admin1 = self.g.admin1[container] if self.g.kind[container] in ("admin1", "town") else None
            row = self.g.choose(
                _usable_candidates(self.g, left.key, upper=False, scanning=True),
                cc=self.g.cc[container],
                admin1=admin1,
            )
            if row is not None and row != container:
                left.row = row


@functools.lru_cache(maxsize=65_536)
def _resolve_row(g: _Gazetteer, key: str, upper: bool, single: bool, loose: bool, where: bool,
                 context: Country | None, kind: str | None, prefer: str | None, admin2: bool) -> int | None:
    """:meth:`_Scanner._resolve` from what it depends on: the key, its casing (all capitals; loose: casing says
    nothing), one word or more, named where something happened, the context country and the kind asked for.
    Cached: a scan asks it of every name at every mention, with the same answer."""
    candidates = _usable_candidates(g, key, upper=upper, scanning=True, admin2=admin2)
    if single:  # "Tribune", "Christmas", "Supreme": English words naming hamlets
        home = context.cc if context else None
        candidates = [
            (row, primary)
            for row, primary in candidates
            if not (
                g.cc[row] in _ENGLISH_SPEAKING
                and g.cc[row] != home
                and g.kind[row] == "town"
                and g.population[row] < 5_000
            )
        ]
    if single and loose and key in _english_words():
        # "IN CHARGE OF": where casing says nothing, an English word is a place under its own name only, never
        # as another name of one ("Charge" for Al Kharjah)
        candidates = [(row, primary) for row, primary in candidates if primary]
    minimum = 50_000 if loose else (10_000 if len(key) <= 2 else 0)
    if where:
        minimum = _LOOSE_LOCATIVE_POPULATION
    options = {
        "kind": kind,
        "prefer": prefer,
        "min_town_population": minimum,
        # alternate names of villages are noisy in free text ("Taliban" is a Turkish village)
        "min_alternate_population": max(minimum, _SCAN_MIN_ALTERNATE_POPULATION),
    }
    if context is None:
        return g.choose(candidates, **options)
    row = g.choose(candidates, cc=context.cc, **options)
    if row is None:  # a foreign country, region or big city mentioned in the story
        big = max(minimum, 100_000)
        row = g.choose(candidates, **{**options, "min_town_population": big, "min_alternate_population": big})
    return row


def scan(text: str, country: str | Country | None = None) -> list[tuple[int, int, Place]]:
    """Place mentions in free text as (start, end, Place), non-overlapping, longest first, in order.

    In normally cased text, candidate names are capitalised word sequences; stop words, months and
    weekdays never match, and common words ("Reading", "Split") not at the start of a sentence.
    In lower-case, ALL-CAPS or Title Case text only towns of 50k+, admin1 regions and countries match,
    and never common words.  ``country`` restricts towns to that country, except big (100k+) towns,
    regions and countries named in the text that exist only elsewhere.
    """
    if not text or not text.strip():
        return []
    return list(_scan(text, _as_country(country)))


@functools.lru_cache(maxsize=4096)
def _scan(text: str, country: Country | None) -> tuple[tuple[int, int, Place], ...]:
    """Cached: a document's context and its sentences often scan the same text (one-sentence notes)."""
    return tuple(_Scanner(_gazetteer(), text, country).run())




_PERSON_GAP = re.compile(r" |\. ")  # "GEN VARGAS", "Gen. Vargas"


_WHERE_BEFORE = frozenset({"in", "near", "at", "outside", "around", "inside"})


@functools.lru_cache(maxsize=256)
def person_names(text: str) -> frozenset[str]:
    """Names a text writes as a person's (normalised): the name words after a title ("GEN VARGAS", "COLONEL RENE
    EMILIO PONCE") and two or more given and family names that GeoNames does not know as one place ("RUBEN
    ZAMORA"), as a whole and by their last word. One sense per document: wherever the text names "ZAMORA" or
    "[PONCE]" alone it means that person, not the town of the name. A run after "San", "Puerto" or another word
    of a longer name is no person ("SAN FRANCISCO GOTERA"), nor one after "in", "near" or "at"."""
    g, never, english = _gazetteer(), _never_words(), _english_words()
    split = tokens(text)
    words, norms, gaps, cased = split.words, split.norms, split.gaps, split.cased

    def name_word(k: int) -> bool:
        word, norm = words[k], norms[k]
        return (word.isalpha() and len(norm) >= 3 and (not cased or word[:1].isupper())
                and norm not in english and norm not in never and norm not in _CONTEXT_WORDS
                and norm not in _SUFFIX_KINDS and norm not in _FEATURE_WORDS and country(word) is None)

    def joined(k: int) -> bool:  # words k and k + 1
        return bool(_PERSON_GAP.fullmatch(gaps[k]))

    out: set[str] = set()
    k = 0
    while k < len(words):
        if not name_word(k):
            k += 1
            continue
        stop = k + 1
        while stop < len(words) and stop - k < 4 and joined(stop - 1) and name_word(stop):
            stop += 1
        before = norms[k - 1] if k and joined(k - 1) else None
        key = " ".join(norms[k:stop])
        titled = before in _TITLES
        # "KIDNAPPED THREE EUROPEANS IN TECUN UMAN": a run after "in", "near", "at" is where, not who
        free = before not in _WHERE_BEFORE and (before is None or (before in english and before not in _NEWS_WORDS)
                                                or before in _english_stop_words())
        given = norms[k : stop - 1]
        if titled or (stop - k >= 2 and free and key not in g.index and not any(map(_big_place, given))):
            out.update({key, norms[stop - 1]})
        k = stop
    # one sense per document the other way too: a name the text writes after "in", "near", "at" somewhere
    # ("ASSASSINATED TODAY IN MEDELLIN") is a place, even where a run makes it look like a surname
    where = {" ".join(norms[k : k + n]) for k in range(1, len(words))
             if norms[k - 1] in _WHERE_BEFORE and joined(k - 1) for n in (1, 2, 3)}
    return frozenset(out - where)


@functools.cache
def _big_place(key: str) -> bool:
    """Is a name, under its own name, a region, a country or a town of 100,000 people ("Kabul Kandahar road" names
    two places, not a person)?"""
    g = _gazetteer()
    return any(primary and (g.kind[row] != "town" or g.population[row] >= 100_000)
               for row, primary in g.candidates(key))
