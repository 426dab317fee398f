"""Finding archive records: what people type, turned into an index query on either database.

The query language is small and forgiving; nothing typed raises an error:

- words are joined by AND: ``aparcamiento plaza``;
- ``"..."`` is a phrase, word by word as written (accents and case aside): ``"plaça nova"``;
- ``o``/``or`` between two items means either: ``parking o aparcamiento``;
- ``-`` before a word or a phrase excludes it: ``parking -bicicletas``;
- ``*`` after a word finds words starting with it: ``aparc*``.

A word matches through any of its variants (search_text.variants: folded, Spanish and Catalan
stems, bridged spellings); a phrase matches the folded words in order. The index expressions
are built here from those tokens only, each quoted, so the database never sees the person's
syntax. Results come newest first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pregonero.accounts.models import Organisation
from pregonero.archive.models import ArchiveRecord
from pregonero.archive.search_text import folded_word, spans, variants, words
from pregonero.archive.services import visible_records

MAX_ITEMS = 16
OR_WORDS = {"o", "or", "|"}
_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False

    def tokens(self) -> list[str]:
        if self.prefix:
            return [folded_word(self.text)]
        return sorted(variants(self.text))


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]

    def tokens(self) -> list[str]:
        return [folded_word(word) for word in self.words]


Item = Word | Phrase


@dataclass
class Query:
    # All groups must match; a group matches when any of its items does.
    groups: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups or self.excluded)

    def highlight_tokens(self) -> tuple[set[str], list[str], set[str]]:
        """Variants of the wanted words, prefixes, and phrase words: what to mark in a text."""
        found, prefixes, phrase_words = set(), [], set()
        for group in self.groups:
            for item in group:
                if isinstance(item, Phrase):
                    phrase_words.update(item.tokens())
                elif item.prefix:
                    prefixes.extend(item.tokens())
                else:
                    found.update(item.tokens())
        return found, prefixes, phrase_words


def _item(text: str, *, quoted: bool) -> Item | None:
    prefix = not quoted and text.endswith("*")
    found = words(text)
    if not found:
        return None
    if quoted or len(found) > 1:
        # "l'aparcament" typed bare is a phrase of its two words, as it is written.
        return Phrase(tuple(found))
    return Word(found[0], prefix=prefix and bool(folded_word(found[0])))


def parse(text: str) -> Query:
    """The query typed in the search box; anything it cannot read is ignored."""
    query = Query()
    pending_or = False
    count = 0
    for match in _PIECE.finditer((text or "")[:1000]):
        negative, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.casefold() in OR_WORDS:
                pending_or = bool(query.groups)
                continue
            negative = "-" if bare.startswith("-") else ""
            item = _item(bare.lstrip("-+"), quoted=False)
        else:
            item = _item(quoted, quoted=True)
        if item is None or count >= MAX_ITEMS:
            continue
        count += 1
        if negative:
            query.excluded.append(item)
        elif pending_or:
            query.groups[-1].append(item)
        else:
            query.groups.append([item])
        pending_or = False
    return query


# SQLite FTS5 -------------------------------------------------------------------------------


def _fts_item(item: Item) -> str:
    if isinstance(item, Phrase):
        return 'words : "{}"'.format(" ".join(item.tokens()))
    if item.prefix:
        return f'terms : "{item.tokens()[0]}"*'
    return "terms : ({})".format(" OR ".join(f'"{token}"' for token in item.tokens()))


def _fts_any(items: list[Item]) -> str:
    return "(" + " OR ".join(_fts_item(item) for item in items) + ")"


def fts5_expression(query: Query) -> tuple[str, str]:
    """The FTS5 MATCH expressions for the wanted records and for the excluded ones ("" when none)."""
    wanted = " AND ".join(_fts_any(group) for group in query.groups)
    unwanted = _fts_any(query.excluded) if query.excluded else ""
    return wanted, unwanted


# PostgreSQL tsquery ------------------------------------------------------------------------


def _ts_item(item: Item) -> str:
    if isinstance(item, Phrase):
        return "(" + " <-> ".join(f"'{token}':A" for token in item.tokens()) + ")"
    if item.prefix:
        return f"'{item.tokens()[0]}':*"
    return "(" + " | ".join(f"'{token}'" for token in item.tokens()) + ")"


def _ts_any(items: list[Item]) -> str:
    return "(" + " | ".join(_ts_item(item) for item in items) + ")"


def tsquery(query: Query) -> str:
    """The PostgreSQL tsquery text for ``query`` (to be read with the 'simple' configuration)."""
    parts = [_ts_any(group) for group in query.groups]
    if query.excluded:
        parts.append("!" + _ts_any(query.excluded))
    return " & ".join(parts)


def _raw(sql: str, params: list, **kwargs) -> RawSQL:
    # Constant SQL; the person's words only ever travel as parameters, built from quoted tokens.
    return RawSQL(sql, params, **kwargs)  # noqa: S611


FTS5_IDS = "SELECT rowid FROM archive_search WHERE archive_search MATCH %s"
TSQUERY_MATCH = '"archive_archiverecord"."search_vector" @@ to_tsquery(\'simple\', %s)'


def matching(queryset: QuerySet[ArchiveRecord], query: Query) -> QuerySet[ArchiveRecord]:
    """``queryset`` narrowed to the records ``query`` finds (all of them for an empty query)."""
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        condition = _raw(TSQUERY_MATCH, [tsquery(query)], output_field=BooleanField())
        return queryset.filter(condition)
    wanted, unwanted = fts5_expression(query)
    if wanted and unwanted:
        return queryset.filter(id__in=_raw(FTS5_IDS, [f"({wanted}) NOT {unwanted}"]))
    if wanted:
        return queryset.filter(id__in=_raw(FTS5_IDS, [wanted]))
    return queryset.exclude(id__in=_raw(FTS5_IDS, [unwanted]))


# Filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    channel: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    department: int | None = None
    direction: str | None = None  # "" is a valid choice: internal records
    author: str = ""
    language: str = ""
    kind: str = ""
    tag: str = ""


def _has_tag(tag: str) -> RawSQL:
    if connection.vendor == "postgresql":
        return _raw(
            '"archive_archiverecord"."tags" @> %s::jsonb', [json.dumps([tag])], output_field=BooleanField()
        )
    return _raw(
        'EXISTS (SELECT 1 FROM json_each("archive_archiverecord"."tags") WHERE value = %s)',
        [tag],
        output_field=BooleanField(),
    )


def filtered(queryset: QuerySet[ArchiveRecord], filters: Filters, time_zone: str) -> QuerySet[ArchiveRecord]:
    zone = zoneinfo.ZoneInfo(time_zone)

    def start_of(day: dt.date) -> dt.datetime:
        # The organisation's days, not UTC's: 1 March in Madrid starts at 23:00 UTC on 28 February.
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

    if filters.channel is not None:
        queryset = queryset.filter(channel_ref=filters.channel)
    if filters.department is not None:
        queryset = queryset.filter(department_ref=filters.department)
    if filters.direction is not None:
        queryset = queryset.filter(direction=filters.direction)
    if filters.author:
        queryset = queryset.filter(author__icontains=filters.author)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.tag:
        queryset = queryset.filter(_has_tag(filters.tag))
    if filters.date_from or filters.date_to:
        queryset = queryset.alias(when=Coalesce("occurred_at", "captured_at"))
        if filters.date_from:
            queryset = queryset.filter(when__gte=start_of(filters.date_from))
        if filters.date_to:
            queryset = queryset.filter(when__lt=start_of(filters.date_to + dt.timedelta(days=1)))
    return queryset


def search(
    organisation: Organisation, text: str | Query = "", filters: Filters | None = None
) -> QuerySet[ArchiveRecord]:
    """The organisation's visible (not blocked) records that ``text`` finds, within ``filters``."""
    query = parse(text) if isinstance(text, str) else text
    queryset = matching(visible_records(organisation), query)
    if filters is not None:
        queryset = filtered(queryset, filters, organisation.time_zone)
    # Newest first. Within an organisation ids grow with seq (append() holds the chain's lock
    # while it inserts), and ordering by id lets SQLite walk FTS5's sorted matches without
    # sorting whole rows: a tenth of the time for a common word.
    return queryset.order_by("-id")


# Highlighting ------------------------------------------------------------------------------


def highlight(text: str, query: Query, *, around: int | None = None) -> SafeString:
    """``text`` escaped, with the words ``query`` looks for in ``<mark>``.

    With ``around``, only that many words either side of the first match (or the start) are
    kept, with an ellipsis where text was left out.
    """
    wanted, prefixes, phrase_words = query.highlight_tokens()
    positions = spans(text)
    marked = []
    for start, end in positions:
        word = text[start:end]
        folded = folded_word(word)
        hit = (
            folded in phrase_words
            or any(folded.startswith(prefix) for prefix in prefixes)
            or bool(wanted and not wanted.isdisjoint(variants(word)))
        )
        marked.append(hit)
    first, last = 0, len(text)
    if around is not None and positions:
        index = marked.index(True) if True in marked else 0
        low, high = max(0, index - around), min(len(positions) - 1, index + around)
        first = positions[low][0] if low > 0 else 0
        last = positions[high][1] if high < len(positions) - 1 else len(text)
    pieces = ["… " if first > 0 else ""]
    cursor = first
    for (start, end), hit in zip(positions, marked, strict=True):
        if start < first or end > last:
            continue
        pieces.append(escape(text[cursor:start]))
        word = escape(text[start:end])
        pieces.append(f"<mark>{word}</mark>" if hit else word)
        cursor = end
    pieces.append(escape(text[cursor:last]))
    if last < len(text):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of citizen text above is escaped
