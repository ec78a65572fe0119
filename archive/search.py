"""Dutch-aware full-text search over the archive.

One analyzer turns text into search terms, for the index and for queries alike: Unicode
normalisation, accents folded away ("ideeën" → "ideeen"), lower case, Dutch stop words
dropped, Snowball's Dutch stemmer ("scholen" → "schol" ← "school").

* `articles_nl` (FTS5) holds the analyzed title, description, text, author and keywords (place,
  categories, tags) of every article, keyed by `articles.id`. SQL triggers on `articles` drop a
  changed or deleted row from it and queue the id in `articles_nl_pending`; `sync_search_index`
  analyzes the queued rows. `save_articles` calls it inside its transaction, so a saved article
  is searchable at once, and a row written by any other client is picked up at the next sync.
* `articles_nl_words` (FTS5, trigram tokenizer) is the vocabulary: each folded word of length
  ≥ 4 once, with its stem. A part search (`*veiligheid`) looks up the words that contain the
  part ("verkeersveiligheid", "brandveiligheid") and searches for their stems.

Query syntax: words (all must match), `"a phrase"`, `prefix*`, `*part` (compound-word parts),
`AND`, `OR`, `NOT` and parentheses. Stop words ("de", "het", "van") are ignored.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import Stemmer

logger = logging.getLogger(__name__)

# Snowball's original Dutch stemmer, pinned by name: PyStemmer's "dutch" switched algorithm in
# version 3, and the index must be stemmed the way queries are.
STEMMER_ALGORITHM = "dutch_porter"
# Stored in the database; a different value makes the next sync rebuild the whole index.
# 2: the exact filter tokens of the `filters` column.
ANALYZER_VERSION = f"{STEMMER_ALGORITHM}:2"

SEARCH_TABLE = "articles_nl"
PENDING_TABLE = "articles_nl_pending"
WORDS_TABLE = "articles_nl_words"
STATE_TABLE = "articles_nl_state"
SEARCH_COLUMNS = ("title", "description", "text", "author", "keywords", "filters")
# bm25 weights in SEARCH_COLUMNS order: a word in the title counts ten times one in the body.
# The filter tokens weigh nothing: a filter selects, it never changes the order.
BM25_WEIGHTS = (10.0, 3.0, 1.0, 2.0, 2.0, 0.0)

# Words shorter than this are not kept in the vocabulary for part search.
MIN_VOCABULARY_WORD = 4
# A part search needs at least this many letters (the trigram index cannot do fewer).
MIN_PART_LENGTH = 3
# A part search expands to at most this many distinct stems.
MAX_PART_EXPANSION = 200

# Snowball's Dutch stop word list: too common to carry meaning, left out of the index.
_STOP_WORDS_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
    nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel
    voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder
    zou s t n
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+")
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_OPERATORS = {"AND", "OR", "NOT"}
_QUERY_TOKEN = re.compile(r'"([^"]*)"?|(\()|(\))|([^\s()"]+)')


class SearchQueryError(ValueError):
    """A search query that cannot be turned into a full-text query."""


# ---------------------------------------------------------------------------- the analyzer

_local = threading.local()


def _stemmer() -> Any:
    # PyStemmer objects are not thread-safe; Datasette runs SQL functions in several threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer(STEMMER_ALGORITHM, 50_000)
    return stemmer


def fold(text: str) -> str:
    """Lower case without accents: "Mariën" → "marien", "ĳs" → "ijs"."""
    text = unicodedata.normalize("NFKD", text)
    return _COMBINING_MARKS.sub("", text).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """The Dutch stem of one folded word."""
    return str(_stemmer().stemWord(word))


def analyze(text: str | None) -> list[str]:
    """The search terms of a text: folded words, stop words dropped, stemmed."""
    if not text:
        return []
    tokens = [word for word in words(text) if word not in STOP_WORDS]
    return list(_stemmer().stemWords(tokens))


def analyzed(text: str | None) -> str:
    """`analyze` as the space-separated string that goes into the index."""
    return " ".join(analyze(text))


# ---------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class _Term:
    kind: str  # "phrase" (one or more stems), "prefix", "part"
    values: tuple[str, ...]


@dataclass(frozen=True)
class _Node:
    op: str  # "AND", "OR", "NOT" (left NOT right)
    children: tuple[Any, ...]


@dataclass
class ParsedQuery:
    """A search query, parsed: its expression tree and what to highlight in results."""

    text: str
    tree: Any = None
    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (only stop words or operators)."""
        return self.tree is None

    def to_fts(self, expand_part: Callable[[str], Sequence[str]] | None = None) -> str:
        """The FTS5 MATCH expression over `articles_nl`; part terms go through `expand_part`."""
        if self.tree is None:
            raise SearchQueryError(f"nothing to search for in {self.text!r}")
        return _serialize(self.tree, expand_part)

    def is_match(self, word: str) -> bool:
        """Whether a folded word of a text matches the query (for highlighting)."""
        if word in STOP_WORDS:
            return False
        if stem(word) in self.stems:
            return True
        if any(word.startswith(prefix) for prefix in self.prefixes):
            return True
        return any(part in word for part in self.parts)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _serialize(node: Any, expand_part: Callable[[str], Sequence[str]] | None) -> str:
    if isinstance(node, _Term):
        if node.kind == "phrase":
            return _quote(" ".join(node.values))
        if node.kind == "prefix":
            alternatives = [f"{_quote(value)}*" for value in node.values]
        else:
            part = node.values[0]
            stems = list(expand_part(part)) if expand_part else []
            alternatives = [_quote(value) for value in dict.fromkeys([*stems, stem(part)])]
        if len(alternatives) == 1:
            return alternatives[0]
        return "(" + " OR ".join(alternatives) + ")"
    if node.op == "NOT":
        left, right = node.children
        return f"({_serialize(left, expand_part)} NOT {_serialize(right, expand_part)})"
    joined = f" {node.op} ".join(_serialize(child, expand_part) for child in node.children)
    return f"({joined})"


class _Parser:
    """Recursive descent over query tokens, forgiving: stray operators and parentheses go."""

    def __init__(self, query: ParsedQuery, tokens: list[tuple[str, str]]) -> None:
        self.query = query
        self.tokens = tokens
        self.position = 0
        self.negated = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Any:
        tree = None
        while self.peek() is not None:
            node = self.or_expression()
            tree = _combine("AND", tree, node)
            if self.peek() is not None:
                self.take()  # a stray ")" or operator
        return tree

    def or_expression(self) -> Any:
        node = self.and_expression()
        while self.peek() == ("op", "OR"):
            self.take()
            node = _combine("OR", node, self.and_expression())
        return node

    def and_expression(self) -> Any:
        node = self.not_expression()
        while True:
            token = self.peek()
            if token == ("op", "AND"):
                self.take()
                continue
            if token is None or token in (("op", "OR"), ("close", ")")):
                return node
            if token == ("op", "NOT"):
                # "a AND NOT b": the AND was skipped, the NOT applies to what came before.
                self.take()
                right = self.negative_primary()
                node = _Node("NOT", (node, right)) if node is not None and right else node
                continue
            node = _combine("AND", node, self.not_expression())

    def not_expression(self) -> Any:
        node = self.primary()
        while self.peek() == ("op", "NOT"):
            self.take()
            right = self.negative_primary()
            if node is not None and right is not None:
                node = _Node("NOT", (node, right))
        return node

    def negative_primary(self) -> Any:
        self.negated += 1
        try:
            return self.primary()
        finally:
            self.negated -= 1

    def primary(self) -> Any:
        token = self.peek()
        if token is None or token[0] in ("close", "op"):
            return None
        kind, value = self.take()
        if kind == "open":
            node = self.or_expression()
            if self.peek() == ("close", ")"):
                self.take()
            return node
        if kind == "phrase":
            return self.phrase(value)
        return self.word(value)

    def phrase(self, text: str) -> _Term | None:
        terms = analyze(text)
        if not terms:
            if text.strip():
                self.query.ignored.append(text.strip())
            return None
        if not self.negated:
            self.query.stems.update(terms)
        return _Term("phrase", tuple(terms))

    def word(self, token: str) -> _Term | None:
        if token.startswith("*") and len(token.strip("*")) > 0:
            folded = "".join(words(token))
            if len(folded) >= MIN_PART_LENGTH:
                if not self.negated:
                    self.query.parts.add(folded)
                    self.query.stems.add(stem(folded))
                return _Term("part", (folded,))
            token = token.strip("*")
        if token.endswith("*") and len(token) > 1:
            folded_words = words(token)
            if len(folded_words) == 1:
                prefix = folded_words[0]
                alternatives = dict.fromkeys([prefix, stem(prefix)])
                if not self.negated:
                    self.query.prefixes.update(alternatives)
                return _Term("prefix", tuple(alternatives))
        return self.phrase(token)


def _combine(op: str, left: Any, right: Any) -> Any:
    if left is None:
        return right
    if right is None:
        return left
    children: list[Any] = []
    for node in (left, right):
        if isinstance(node, _Node) and node.op == op:
            children.extend(node.children)
        else:
            children.append(node)
    return _Node(op, tuple(children))


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for match in _QUERY_TOKEN.finditer(query):
        phrase, opening, closing, word = match.groups()
        if phrase is not None:
            tokens.append(("phrase", phrase))
        elif opening:
            tokens.append(("open", "("))
        elif closing:
            tokens.append(("close", ")"))
        elif word in _OPERATORS:
            tokens.append(("op", word))
        elif word:
            tokens.append(("word", word))
    return tokens


@functools.lru_cache(maxsize=512)
def _parse_cached(query: str) -> ParsedQuery:
    parsed = ParsedQuery(text=query)
    parser = _Parser(parsed, _tokens(query))
    parsed.tree = parser.parse()
    return parsed


def parse_query(query: str | None) -> ParsedQuery:
    """Parse a search query (words, "phrases", prefix*, *part, AND, OR, NOT, parentheses)."""
    return _parse_cached((query or "").strip())


def expand_part(conn: sqlite3.Connection, part: str) -> list[str]:
    """Stems of the archived words that contain `part` (compound-word part search)."""
    sql = (
        f"SELECT DISTINCT stem FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH ? "
        f"ORDER BY length(word) LIMIT {MAX_PART_EXPANSION}"
    )
    return [row[0] for row in conn.execute(sql, [_quote(part)])]


def fts_query(conn: sqlite3.Connection, query: str | None) -> str | None:
    """The MATCH expression for `articles_nl`, or None when the query has nothing to search."""
    parsed = parse_query(query)
    if parsed.empty:
        return None
    return parsed.to_fts(functools.partial(expand_part, conn))


# ---------------------------------------------------------------------------- snippets

SNIPPET_WORDS = 30
_TOKEN_OR_GAP = re.compile(r"[^\W_]+|[\W_]+")


def snippet_html(
    text: str | None, query: str | ParsedQuery | None, size: int = SNIPPET_WORDS
) -> str:
    """An HTML-escaped excerpt of `text` around the best matches, matches in `<mark>`."""
    if not text:
        return ""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    text = unicodedata.normalize("NFC", text)
    pieces = _TOKEN_OR_GAP.findall(text)
    word_positions = [i for i, piece in enumerate(pieces) if _WORD.fullmatch(piece)]
    matched = (
        {i for i in word_positions if parsed.is_match(fold(pieces[i]))}
        if not parsed.empty
        else set()
    )
    start_word = 0
    if matched:
        # The window of `size` words holding the most matches.
        hits = [n for n, i in enumerate(word_positions) if i in matched]
        best, best_count, right = hits[0], 0, 0
        for left, first in enumerate(hits):
            while right < len(hits) and hits[right] < first + size:
                right += 1
            if right - left > best_count:
                best, best_count = first, right - left
        start_word = max(0, best - size // 4)
        # Start at a whole word: not at the "s" of "auto's".
        while start_word > 0 and not pieces[word_positions[start_word] - 1].isspace():
            start_word -= 1
    end_word = min(len(word_positions), start_word + size)
    if not word_positions:
        return html.escape(text[:200])
    # Whole text at either end: its leading or trailing punctuation is kept.
    first_piece = word_positions[start_word] if start_word > 0 else 0
    last_piece = word_positions[end_word - 1] if end_word < len(word_positions) else len(pieces) - 1
    out = ["…"] if start_word > 0 else []
    for i in range(first_piece, last_piece + 1):
        escaped = html.escape(pieces[i].replace("\n", " "))
        out.append(f"<mark>{escaped}</mark>" if i in matched else escaped)
    if end_word < len(word_positions):
        out.append(" …")
    return "".join(out)


# ---------------------------------------------------------------------------- the index


def create_search_index(conn: sqlite3.Connection) -> None:
    """Create the Dutch search index, its triggers and vocabulary, and queue every article."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING {_index_definition()}")
    _set_rank(conn, SEARCH_TABLE)
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_TABLE} USING fts5("
        "word, stem UNINDEXED, tokenize='trigram')"
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (id INTEGER PRIMARY KEY)")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {WORDS_TABLE}_seen (word TEXT PRIMARY KEY) WITHOUT ROWID"
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
    _create_triggers(conn)
    rebuild_search_index(conn)


def _create_triggers(conn: sqlite3.Connection) -> None:
    """Queue an article for analysis whenever a value its index entry is made from changes."""
    watched = ", ".join(INDEXED_FIELDS)
    triggers = {
        "ai": f"""AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO {PENDING_TABLE}(id) VALUES (new.id);
        END""",
        "au": f"""AFTER UPDATE OF id, {watched} ON articles BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = old.id;
            INSERT OR IGNORE INTO {PENDING_TABLE}(id) VALUES (new.id);
        END""",
        "ad": f"""AFTER DELETE ON articles BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = old.id;
            DELETE FROM {PENDING_TABLE} WHERE id = old.id;
        END""",
    }
    for suffix, body in triggers.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_{suffix}")
        conn.execute(f"CREATE TRIGGER {SEARCH_TABLE}_{suffix} {body}")


# Prefix indexes of 2 and 3 letters: without them a short prefix (`ge*`) merges the postings
# of hundreds of terms on every query (1.6 s at 1 000 000 articles); see docs/search-scale.md.
PREFIX_LENGTHS = (2, 3)


def _index_definition() -> str:
    prefixes = " ".join(str(length) for length in PREFIX_LENGTHS)
    # `_` is a token character only for the filter tokens: analyzed words never hold one
    # (`words` splits on it), so no search word can match a filter token.
    return (
        f"fts5({', '.join(SEARCH_COLUMNS)}, "
        f"""tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='{prefixes}')"""
    )


def _set_rank(conn: sqlite3.Connection, table: str) -> None:
    weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
    conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('rank', 'bm25({weights})')")


def upgrade_search_index(conn: sqlite3.Connection) -> bool:
    """Bring an index made by an earlier definition to the current one; True if it did.

    FTS5 cannot change a table's columns, tokenizer or prefix indexes: a new table is filled
    from the index's own analyzed text (no analysis again), the filter tokens are made from
    the articles, and it takes the old one's place, merged into one segment. A few minutes
    per 1 000 000 articles, in the caller's transaction (docs/search-scale.md).
    """
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [SEARCH_TABLE]
    ).fetchone()
    if row is None or row[0].endswith(_index_definition()):
        return False
    old_columns = {column[1] for column in conn.execute(f"PRAGMA table_info({SEARCH_TABLE})")}
    copied = [column for column in SEARCH_COLUMNS if column in old_columns and column != "filters"]
    new_table = f"{SEARCH_TABLE}_upgraded"
    conn.execute(f"DROP TABLE IF EXISTS {new_table}")
    conn.execute(f"CREATE VIRTUAL TABLE {new_table} USING {_index_definition()}")
    conn.create_function("nl_filter_tokens", len(FILTERED_FIELDS), filter_tokens)
    fields = ", ".join(f"a.{name}" for name in FILTERED_FIELDS)
    conn.execute(
        f"INSERT INTO {new_table}(rowid, {', '.join(copied)}, filters) "
        f"SELECT old.rowid, {', '.join(f'old.{column}' for column in copied)}, "
        f"nl_filter_tokens({fields}) "
        f"FROM {SEARCH_TABLE} AS old JOIN articles AS a ON a.id = old.rowid"
    )
    conn.execute(f"DROP TABLE {SEARCH_TABLE}")
    # The triggers on `articles` name the index; the legacy rename does not check them while
    # the name is briefly missing.
    conn.execute("PRAGMA legacy_alter_table = ON")
    try:
        conn.execute(f"ALTER TABLE {new_table} RENAME TO {SEARCH_TABLE}")
    finally:
        conn.execute("PRAGMA legacy_alter_table = OFF")
    _set_rank(conn, SEARCH_TABLE)
    # One segment, as a bulk load leaves it: a refill leaves dozens, and every query reads each.
    conn.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    _create_triggers(conn)  # they watch every field the index is made from
    if _stored_analyzer(conn) in _SAME_TEXT_ANALYSIS:
        conn.execute(
            f"UPDATE {STATE_TABLE} SET value = ? WHERE key = 'analyzer'", [ANALYZER_VERSION]
        )
    return True


# Analyzer versions whose analyzed text is this one's: an upgrade copies it as it is.
_SAME_TEXT_ANALYSIS = {f"{STEMMER_ALGORITHM}:1", ANALYZER_VERSION}


def rebuild_search_index(conn: sqlite3.Connection) -> int:
    """Empty the index and analyze every article again; returns the number indexed."""
    conn.execute(f"DELETE FROM {SEARCH_TABLE}")
    conn.execute(f"DELETE FROM {WORDS_TABLE}")
    conn.execute(f"DELETE FROM {WORDS_TABLE}_seen")
    conn.execute(f"INSERT OR IGNORE INTO {PENDING_TABLE}(id) SELECT id FROM articles")
    conn.execute(
        f"INSERT OR REPLACE INTO {STATE_TABLE}(key, value) VALUES ('analyzer', ?)",
        [ANALYZER_VERSION],
    )
    return sync_search_index(conn)


def _keywords(place: str | None, categories: str | None, tags: str | None) -> str:
    keywords = [place or ""]
    for encoded in (categories, tags):
        try:
            values = json.loads(encoded or "[]")
        except json.JSONDecodeError:
            values = [encoded]
        if isinstance(values, list):
            keywords.extend(str(value) for value in values)
    return " ".join(keywords)


def sync_search_index(
    conn: sqlite3.Connection, *, batch: int = 1000, limit: int | None = None
) -> int:
    """Analyze the articles queued by the triggers into the index; returns how many.

    With `limit`, stop after about that many articles (whole batches): a caller indexing a big
    backlog (a bulk import, 1 000 000 queued articles) commits between calls, so the work is
    resumable and the write transaction and the WAL stay small.
    """
    if _stored_analyzer(conn) != ANALYZER_VERSION:
        logger.info("search analyzer changed to %s: rebuilding the index", ANALYZER_VERSION)
        return rebuild_search_index(conn)
    done = 0
    while limit is None or done < limit:
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {PENDING_TABLE} LIMIT {batch}")]
        if not ids:
            return done
        placeholders = ", ".join("?" * len(ids))
        rows = conn.execute(
            f"SELECT id, {', '.join(INDEXED_FIELDS)} FROM articles WHERE id IN ({placeholders})",
            ids,
        ).fetchall()
        vocabulary: dict[str, str] = {}
        entries = []
        for id_, *values in rows:
            row_columns, row_words = analyze_row(*values)
            entries.append((id_, *row_columns))
            vocabulary.update(dict.fromkeys(row_words, ""))
        conn.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN ({placeholders})", ids)
        columns = ", ".join(SEARCH_COLUMNS)
        conn.executemany(
            f"INSERT INTO {SEARCH_TABLE}(rowid, {columns}) VALUES (?, {_COLUMN_MARKS})", entries
        )
        _add_words(conn, vocabulary)
        conn.execute(f"DELETE FROM {PENDING_TABLE} WHERE id IN ({placeholders})", ids)
        done += len(rows)
    return done


_COLUMN_MARKS = ", ".join("?" * len(SEARCH_COLUMNS))

# The articles columns the index is made from, in `analyze_row`'s argument order.
INDEXED_FIELDS = (
    "title",
    "description",
    "text",
    "author",
    "place",
    "categories",
    "tags",
    "published",
    "authors",
)


def analyze_row(
    title: str | None,
    description: str | None,
    text: str | None,
    author: str | None,
    place: str | None,
    categories: str | None,
    tags: str | None,
    published: str | None = None,
    authors: str | None = None,
) -> tuple[list[str], list[str]]:
    """An article row's index columns (SEARCH_COLUMNS order) and its vocabulary words.

    The index's one analysis, for `sync_search_index` and `index_entry` alike; categories,
    tags and authors as stored (JSON lists). Each text is split into words once, for both.
    """
    values = [title, description, text, author, _keywords(place, categories, tags)]
    columns = []
    vocabulary: dict[str, None] = {}
    for value in values:
        tokens = words(value) if value else []
        kept = [word for word in tokens if word not in STOP_WORDS]
        columns.append(" ".join(_stemmer().stemWords(kept)))
        for word in tokens:
            if len(word) >= MIN_VOCABULARY_WORD and not word.isdigit():
                vocabulary[word] = None
    columns.append(filter_tokens(published, place, categories, author, authors))
    return columns, list(vocabulary)


# ---------------------------------------------------------------------------- filter tokens

# The articles columns the filter tokens are made from, in `filter_tokens`' argument order.
FILTERED_FIELDS = ("published", "place", "categories", "author", "authors")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def filter_tokens(
    published: str | None,
    place: str | None,
    categories: str | None,
    author: str | None,
    authors: str | None,
) -> str:
    """The exact filter tokens of an article, for the index's `filters` column.

    A filter (place, category, author, dates) is then a term of the MATCH expression, and a
    search with filters is answered by the index alone. A token names what `SearchFilters.sql`
    tests: the day, month and year of `published`; a digest of the exact place, of each
    category, and of the author and each of `authors`. Every token starts with `_`, which no
    analyzed word holds.
    """
    tokens = []
    day = _DAY.match(published or "")
    if day:
        year, month, day_of_month = day.groups()
        tokens += [f"_y{year}", f"_m{year}{month}", f"_d{year}{month}{day_of_month}"]
    if place:
        tokens.append(_value_token("p", place))
    tokens += [_value_token("c", category) for category in _json_strings(categories)]
    names = [author, *_json_strings(authors)]
    tokens += [_value_token("a", name) for name in names if name]
    return " ".join(dict.fromkeys(tokens))


def _value_token(kind: str, value: str) -> str:
    """A token for one exact value: case, spaces and accents all count, as in SQL's `=`."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"_{kind}{digest.hexdigest()}"


def _json_strings(encoded: str | None) -> list[str]:
    """The strings of a stored JSON list, as `json_each` gives them (a lone string: itself)."""
    try:
        values = json.loads(encoded or "[]")
    except json.JSONDecodeError:
        return []
    if isinstance(values, str):
        return [values]
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []


def index_entry(row: dict[str, Any]) -> dict[str, Any]:
    """A row's analyzed index columns and vocabulary, to be written later by `index_analyzed`.

    Made where an article is extracted, so that the single writer need not analyze it. It
    names the analyzer version and carries a digest of the values it was made from.
    """
    values = [row.get(name) for name in INDEXED_FIELDS]
    columns, vocabulary = analyze_row(*values)
    return {
        "analyzer": ANALYZER_VERSION,
        "source": _source_digest(values),
        "columns": columns,
        "words": vocabulary,
    }


def index_analyzed(conn: sqlite3.Connection, entries: dict[int, Any]) -> int:
    """Write `index_entry` entries, by article id, into the index; returns how many.

    An entry is used only for an article queued by the triggers, made by this analyzer from
    the values now stored in its row (same digest); any other stays queued, and
    `sync_search_index` analyzes it as before. The result is the index that
    `sync_search_index` would have written.
    """
    usable = {id_: entry for id_, entry in entries.items() if _well_formed(entry)}
    if not usable or _stored_analyzer(conn) != ANALYZER_VERSION:
        return 0
    ids = sorted(usable)
    fields = ", ".join(f"articles.{name}" for name in INDEXED_FIELDS)
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        placeholders = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT articles.id, {fields} FROM articles "
            f"JOIN {PENDING_TABLE} AS pending ON pending.id = articles.id "
            f"WHERE articles.id IN ({placeholders}) ORDER BY articles.id",
            chunk,
        ).fetchall()
        matched = [id_ for id_, *values in rows if usable[id_]["source"] == _source_digest(values)]
        if not matched:
            continue
        vocabulary: dict[str, str] = {}
        for id_ in matched:
            vocabulary.update(dict.fromkeys(usable[id_]["words"], ""))
        placeholders = ", ".join("?" * len(matched))
        conn.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN ({placeholders})", matched)
        columns = ", ".join(SEARCH_COLUMNS)
        conn.executemany(
            f"INSERT INTO {SEARCH_TABLE}(rowid, {columns}) VALUES (?, {_COLUMN_MARKS})",
            [(id_, *usable[id_]["columns"]) for id_ in matched],
        )
        _add_words(conn, vocabulary)
        conn.execute(f"DELETE FROM {PENDING_TABLE} WHERE id IN ({placeholders})", matched)
        done += len(matched)
    return done


def _source_digest(values: Sequence[Any]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for value in values:
        encoded = ("" if value is None else str(value)).encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(encoded))
        digest.update(encoded)
    return digest.hexdigest()


def _well_formed(entry: Any) -> bool:
    """An entry of this analyzer's version, of the right shape (it may come through Redis)."""
    if not isinstance(entry, dict) or entry.get("analyzer") != ANALYZER_VERSION:
        return False
    columns, vocabulary = entry.get("columns"), entry.get("words")
    return (
        isinstance(entry.get("source"), str)
        and isinstance(columns, list)
        and len(columns) == len(SEARCH_COLUMNS)
        and set(map(type, columns)) == {str}
        and isinstance(vocabulary, list)
        and set(map(type, vocabulary)) <= {str}  # in C: an article has hundreds of words
    )


def _stored_analyzer(conn: sqlite3.Connection) -> str | None:
    row = conn.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = 'analyzer'").fetchone()
    return row[0] if row else None


def _add_words(conn: sqlite3.Connection, vocabulary: dict[str, str]) -> None:
    """Add the words not yet in the vocabulary (`_seen` is the plain table for lookups)."""
    new_words = []
    candidates = list(vocabulary)
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        placeholders = ", ".join("?" * len(chunk))
        known = {
            row[0]
            for row in conn.execute(
                f"SELECT word FROM {WORDS_TABLE}_seen WHERE word IN ({placeholders})", chunk
            )
        }
        new_words.extend(word for word in chunk if word not in known)
    if not new_words:
        return
    stems = _stemmer().stemWords(new_words)
    conn.executemany(f"INSERT INTO {WORDS_TABLE}_seen(word) VALUES (?)", [(w,) for w in new_words])
    conn.executemany(
        f"INSERT INTO {WORDS_TABLE}(word, stem) VALUES (?, ?)",
        list(zip(new_words, stems, strict=True)),
    )


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions for queries: `nl_query(q)` (MATCH expression), `nl_query(q, place,
    category, author, from, to)` (the same with the filters in it, as `search` applies them)
    and `nl_snippet(text, q)`."""

    def nl_query(query: str | None, *filters: str | None) -> str:
        # A query with nothing searchable matches nothing rather than failing.
        match = fts_query(conn, query)
        if not match:
            return '""'
        if not filters:
            return match
        place, category, author, date_from, date_to = (value or "" for value in filters)
        return SearchFilters(date_from, date_to, place, category, author).narrow(conn, match)

    conn.create_function("nl_query", 1, nl_query)
    # The filters as terms of the index: the canned query's window of recent matches holds
    # only matches that pass them, however common the words.
    conn.create_function("nl_query", 6, nl_query)
    conn.create_function("nl_snippet", 2, snippet_html, deterministic=True)


# ---------------------------------------------------------------------------- searching

# Relevance needs a score for every match, about 1 µs each. Past this many matches (after the
# filters), best match ranks only the most recently archived ones: a word in most articles
# weighs almost nothing in BM25 (its IDF is about zero), so ranking all of them would cost
# seconds at a million articles for an order that is nearly arbitrary. The count stays exact
# and date order still reaches every match; see docs/search-scale.md.
RANK_WINDOW = 50_000
# A retry after a timeout considers only this many of the most recently archived matches.
CANDIDATE_CAP = 20_000
RESULT_COLUMNS = (
    "id",
    "published",
    "title",
    "place",
    "author",
    "categories",
    "tags",
    "url",
    "description",
)
SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchFilters:
    """Filters that narrow a search; empty values filter nothing. Dates are YYYY-MM-DD."""

    date_from: str = ""
    date_to: str = ""
    place: str = ""
    category: str = ""
    author: str = ""

    def sql(self) -> tuple[list[str], dict[str, str]]:
        """WHERE clauses over `articles AS a`, and their parameters."""
        clauses: list[str] = []
        params: dict[str, str] = {}
        if self.date_from:
            clauses.append("a.published >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            # Inclusive: the whole of the last day, whatever the time and UTC offset.
            clauses.append("a.published < date(:date_to, '+1 day')")
            params["date_to"] = self.date_to
        if self.place:
            clauses.append("a.place = :place")
            params["place"] = self.place
        if self.category:
            clauses.append(
                "a.categories LIKE :category_like AND EXISTS "
                "(SELECT 1 FROM json_each(a.categories) WHERE value = :category)"
            )
            params["category"] = self.category
            # A cheap LIKE first; % or _ in a category only widen it, json_each is exact.
            params["category_like"] = f"%{self.category}%"
        if self.author:
            clauses.append(
                "(a.author = :author OR EXISTS "
                "(SELECT 1 FROM json_each(a.authors) WHERE value = :author))"
            )
            params["author"] = self.author
        return clauses, params

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            try:
                if value and date.fromisoformat(value).isoformat() != value:
                    raise ValueError(value)
            except ValueError:
                raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None

    def narrow(self, conn: sqlite3.Connection, match: str) -> str:
        """The MATCH expression with every filter as a term of the index's `filters` column.

        The tokens name exactly what `sql` tests (`filter_tokens`), so the index alone answers
        a search with filters: no article is read to filter, however common the words.
        """
        terms = [f"({match})"]
        if self.place:
            terms.append(_filter_term([_value_token("p", self.place)]))
        if self.category:
            terms.append(_filter_term([_value_token("c", self.category)]))
        if self.author:
            terms.append(_filter_term([_value_token("a", self.author)]))
        if self.date_from or self.date_to:
            terms.append(_filter_term(_date_tokens(conn, self.date_from, self.date_to)))
        return " AND ".join(terms)


def _filter_term(tokens: list[str]) -> str:
    # No token at all: a term that matches nothing ("_" alone is never indexed).
    return f"filters : ({' OR '.join(_quote(token) for token in tokens or ['_'])})"


def _date_tokens(conn: sqlite3.Connection, date_from: str, date_to: str) -> list[str]:
    """The fewest day, month and year tokens that cover the days from `date_from` to `date_to`.

    An open end stops at the archive's first or last publication day (two index steps).
    """
    first = date.fromisoformat(date_from) if date_from else _archive_day(conn, "min")
    last = date.fromisoformat(date_to) if date_to else _archive_day(conn, "max")
    tokens: list[str] = []
    day = first
    while first and last and day <= last:
        year_end, month_end = date(day.year, 12, 31), _month_end(day)
        if (day.month, day.day) == (1, 1) and year_end <= last:
            tokens.append(f"_y{day.year}")
            day = year_end
        elif day.day == 1 and month_end <= last:
            tokens.append(f"_m{day:%Y%m}")
            day = month_end
        else:
            tokens.append(f"_d{day:%Y%m%d}")
        if day == date.max:
            break
        day += timedelta(days=1)
    return tokens


def _month_end(day: date) -> date:
    if day.month == 12:
        return date(day.year, 12, 31)
    return date(day.year, day.month + 1, 1) - timedelta(days=1)


def _archive_day(conn: sqlite3.Connection, which: str) -> date | None:
    """The first (`min`) or last (`max`) publication day in the archive, if any."""
    row = conn.execute(
        f"SELECT {which}(published) FROM articles WHERE published >= '0001-01-01'"
    ).fetchone()
    day = _DAY.match(row[0] or "")
    try:
        return date(*map(int, day.groups())) if day else None
    except ValueError:
        return None


@dataclass
class SearchResults:
    """One page of search results."""

    query: ParsedQuery
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    sort: str
    capped: bool = False  # considered only the most recently archived matches
    ranked: int | None = None  # when capped: how many matches were ranked; None: all

    @property
    def reachable(self) -> int:
        """How many results the pages reach: all of them, or the ranked window."""
        return self.total if self.ranked is None else min(self.total, self.ranked)

    @property
    def pages(self) -> int:
        return max(1, -(-self.reachable // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.reachable


def search(
    conn: sqlite3.Connection,
    query: str | None,
    filters: SearchFilters = SearchFilters(),
    *,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    candidate_cap: int | None = None,
    rank_window: int = RANK_WINDOW,
) -> SearchResults:
    """Search the archive: full text (Dutch analyzer) and filters, one page of results.

    Without searchable words the filters alone select, newest first. Best match ranks at
    most `rank_window` matches, the most recently archived (`capped`, `ranked`), while
    `total` counts them all. With `candidate_cap`, only that many of the most recently
    archived matches are considered at all, counted included: bounded work whatever the
    query, the fallback after a timeout.
    """
    parsed = parse_query(query)
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    offset = (page - 1) * page_size
    order_by_date = "a.published ASC" if sort == "oldest" else "a.published DESC"
    if parsed.empty and parsed.text:
        # Only stop words or operators: nothing to look for (see `parsed.ignored`).
        return SearchResults(parsed, [], 0, page, page_size, sort)
    if parsed.empty:
        clauses, params = filters.sql()
        params.update(limit=str(page_size), offset=str(offset))
        where = " AND ".join(clauses) or "1"
        total = conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
        ids = _ids(
            conn,
            f"SELECT a.id FROM articles a WHERE {where} ORDER BY {order_by_date} "
            "LIMIT :limit OFFSET :offset",
            params,
        )
        return _results(
            conn, parsed, ids, total, page, page_size, "oldest" if sort == "oldest" else "newest"
        )
    # The filters are terms of the index (`SearchFilters.narrow`): the index alone selects.
    matches = filters.narrow(conn, parsed.to_fts(functools.partial(expand_part, conn)))
    params = {"match": matches, "limit": str(page_size), "offset": str(offset)}
    capped = False
    candidates = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match"
    if candidate_cap:
        candidates += " ORDER BY rowid DESC LIMIT :cap"
        params["cap"] = str(candidate_cap)
        # Whether the cap left matches out.
        capped = (
            conn.execute(
                f"SELECT count(*) FROM (SELECT rowid FROM {SEARCH_TABLE} "
                f"WHERE {SEARCH_TABLE} MATCH :match LIMIT :cap)",
                params,
            ).fetchone()[0]
            >= candidate_cap
        )
    total = conn.execute(f"SELECT count(*) FROM ({candidates})", params).fetchone()[0]
    ranked = None
    if sort == "relevance":
        # The filter terms weigh nothing in `rank` (BM25_WEIGHTS): the words alone order.
        scored = (
            f"SELECT rowid, rank AS score FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match"
        )
        bounds = [bound for bound in (candidate_cap,) if bound]
        if total > rank_window:
            capped, ranked = True, rank_window
            bounds.append(rank_window)
        if bounds:
            # FTS5 walks the matches newest first and scores only these.
            scored += " ORDER BY rowid DESC LIMIT :bound"
            params["bound"] = str(min(bounds))
        sql = f"SELECT rowid FROM ({scored}) ORDER BY score, rowid LIMIT :limit OFFSET :offset"
    else:
        in_matches = f"a.id IN ({candidates})"
        if not candidate_cap and _walk_dates(conn, total, offset + page_size):
            # Many matches: walk the `published` index and test each article against the
            # matches (`+a.id`: no lookup by id) until the page is full, instead of looking
            # up every match and sorting them all.
            in_matches = "+" + in_matches
        sql = (
            f"SELECT a.id FROM articles a WHERE {in_matches} "
            f"ORDER BY {order_by_date} LIMIT :limit OFFSET :offset"
        )
    ids = _ids(conn, sql, params)
    return _results(conn, parsed, ids, total, page, page_size, sort, capped, ranked)


def _results(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    ids: list[int],
    total: int,
    page: int,
    page_size: int,
    sort: str,
    capped: bool = False,
    ranked: int | None = None,
) -> SearchResults:
    rows = _rows(conn, ids)
    for row in rows:
        row["snippet_html"] = snippet_html(row.pop("text") or row.get("description"), parsed)
    return SearchResults(parsed, rows, total, page, page_size, sort, capped, ranked)


# Looking up one article by id costs about this many steps along an index (measured at
# 1 000 000 articles: 0.8 µs against 0.05 µs); see docs/search-scale.md.
LOOKUP_COST = 16


def _article_count(conn: sqlite3.Connection) -> int:
    """About how many articles there are (the largest id: one index step, no count)."""
    return int(conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0)


def _walk_dates(conn: sqlite3.Connection, matches: int, needed: int) -> bool:
    """Whether a date-ordered page of `needed` rows is found sooner by walking the date index.

    Walking steps over about needed × articles / matches index entries; looking up and
    sorting every match costs about LOOKUP_COST steps per match.
    """
    if matches <= needed:
        return False
    return needed * _article_count(conn) < LOOKUP_COST * matches * matches


def _ids(conn: sqlite3.Connection, sql: str, params: dict[str, str]) -> list[int]:
    return [row[0] for row in conn.execute(sql, params)]


def _rows(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    columns = ", ".join([*RESULT_COLUMNS, "text"])
    placeholders = ", ".join("?" * len(ids))
    cursor = conn.execute(f"SELECT {columns} FROM articles WHERE id IN ({placeholders})", ids)
    names = [description[0] for description in cursor.description]
    by_id = {row[0]: dict(zip(names, row, strict=True)) for row in cursor}
    rows = [by_id[id_] for id_ in ids if id_ in by_id]
    for row in rows:
        for column in ("categories", "tags"):
            try:
                row[column] = json.loads(row[column] or "[]")
            except json.JSONDecodeError:
                row[column] = []
    return rows


def counts_by_month(
    conn: sqlite3.Connection,
    query: str | None = None,
    filters: SearchFilters = SearchFilters(),
) -> list[tuple[str, int]]:
    """Articles per month (YYYY-MM, count), oldest first, for a search and/or filters."""
    parsed = parse_query(query)
    # `month` is NULL exactly when `published` is: its index alone answers (no article read).
    where_clauses = ["a.month IS NOT NULL"]
    if parsed.empty:
        clauses, params = filters.sql()
    else:
        # The filters are terms of the index, as in `search`.
        clauses = []
        params = {
            "match": filters.narrow(conn, parsed.to_fts(functools.partial(expand_part, conn)))
        }
        matches = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match"
        in_matches = f"a.id IN ({matches})"
        count = conn.execute(f"SELECT count(*) FROM ({matches})", params).fetchone()[0]
        if count * LOOKUP_COST > _article_count(conn):
            # A large share of the archive: scan the month index and test each entry against
            # the matches (`+a.id`: no lookup by id) instead of reading every match.
            in_matches = "+" + in_matches
        where_clauses.append(in_matches)
    where = " AND ".join([*where_clauses, *clauses])
    sql = f"SELECT a.month, count(*) FROM articles a WHERE {where} GROUP BY a.month ORDER BY 1"
    return [(month, count) for month, count in conn.execute(sql, params) if month]
