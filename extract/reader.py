"""Reading articles: plain text, HTML, JSON Lines, or folders of them.

Every problem with the input becomes an :class:`InputError` that names the
file (and line) and says what is wrong in one line, so the command line can
print it as is.  Reading never half-succeeds silently: a bad article is
reported, the good ones are still yielded.  Input that is skipped for a
reason that is not an error (a text with no Arabic, a repeated id) is an
:class:`InputWarning`: reported the same way, but a build still succeeds.

What is accepted, and why (news archives are dirty):

* **Encodings.** UTF-8 with or without BOM, UTF-16 with a BOM, and the two
  legacy Arabic code pages Windows-1256 and ISO-8859-6, told apart with
  charset-normalizer.  A legacy code page is accepted only when the result is
  clearly Arabic text; when the detection is unsure (too little text, not
  Arabic, or damaged UTF-8) the file is refused with a message, because
  storing mojibake silently is worse than asking for a conversion.  The
  encoding used is logged (``diplograph.extract.reader`` logger; ``build -v``
  shows it).  Text that is valid UTF-8 but is itself mojibake (UTF-8 read as
  Windows-1256 somewhere upstream: "ظ…ط±ط­ط¨ط§") is refused too.
* **HTML** (``.html``/``.htm``): markup is stripped with the standard
  library's HTML parser (tolerant of broken markup, no dependency);
  scripts, styles, navigation, asides and footers are dropped; the text of
  ``<article>`` (else ``<main>``, else ``<body>``) is kept, one block per
  line; the title is the first ``<h1>``, else ``<title>``.
* **Size.** An article file (or one JSON Lines line) over
  :data:`MAX_ARTICLE_BYTES` (1 MiB, some 170,000 Arabic words, dozens of
  times a long news story) is refused before it is read: it is a dump, not an
  article, and would take the pipeline many minutes.  JSON Lines files of
  any size are streamed line by line, so memory stays flat.
* **Folders** are walked recursively in name order, following symbolic links
  to folders but never entering a folder twice, so a symlink loop cannot
  trap the walk; hidden files and folders (``.git``) are skipped.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from .model import Document

__all__ = [
    "InputError",
    "InputWarning",
    "MAX_ARTICLE_BYTES",
    "SUFFIXES",
    "decode_article",
    "html_to_text",
    "iter_input_files",
    "parse_date",
    "read_documents",
    "read_path",
]

logger = logging.getLogger(__name__)

SUFFIXES = (".txt", ".jsonl", ".html", ".htm")

#: Largest article file (or JSON Lines line) read, in bytes.
MAX_ARTICLE_BYTES = 1 * 1024 * 1024

#: Legacy code pages tried when a file is not UTF-8 (charset-normalizer names).
_LEGACY = ("cp1256", "iso8859_6")
_LABELS = {
    "cp1256": "windows-1256",
    "iso8859_6": "iso-8859-6",
    "utf_8": "utf-8",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8 (BOM)",
    "utf-16": "utf-16",
}
#: At least this many Arabic letters before a legacy code page is trusted.
_MIN_LEGACY_LETTERS = 20
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"\x7fELF": "executable",
    b"{\\rtf": "RTF",
    b"\xd0\xcf\x11\xe0": "MS Office (OLE)",
}


class InputError(Exception):
    """A problem with one input file or line, said in one line."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class InputWarning(InputError):
    """Input skipped on purpose (no Arabic, a repeated id): reported, not a failure.

    A subclass of :class:`InputError` so that callers that collect every
    problem in one list keep seeing it; the build command prints it as a
    warning and does not set a failing exit status for it.
    """


def parse_date(value: str, where: str = "--published") -> dt.date:
    """Parse ``YYYY-MM-DD`` (a timestamp's date part is accepted too).

    Raises
    ------
    ValueError
        With a message that names ``where`` and the bad value.
    """
    text = str(value).strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$", text)
    if not m:
        raise ValueError(f"{where}: '{value}' is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise ValueError(f"{where}: '{value}' is not a valid calendar date") from None


# --------------------------------------------------------------------------- finding files
def iter_input_files(paths: Iterable[str | Path], errors: list[InputError] | None = None) -> Iterator[Path]:
    """Expand inputs into article files, folders read recursively in name order.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders as given on the command line.
    errors : list, optional
        Warnings about files met in folders and skipped (a broken symbolic
        link, a looping one) are appended here; without it they are logged.

    Raises
    ------
    InputError
        For a path given explicitly that does not exist, is not a regular
        file or folder, or has an unsupported suffix: those are typos, and a
        build should stop before doing any work.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            if path.is_symlink():
                raise InputError(path, "broken or looping symbolic link")
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            for sub in sorted(_walk(path, errors), key=str):
                real = sub.resolve()
                if real not in seen:
                    seen.add(real)
                    yield sub
        elif path.suffix.lower() in SUFFIXES:
            if not path.is_file():
                raise InputError(path, "not a regular file (a pipe or device cannot be read as an article)")
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                yield path
        else:
            raise InputError(path, f"unsupported file type '{path.suffix}' (expected .txt, .html, .htm or .jsonl)")


def _walk(folder: Path, errors: list[InputError] | None) -> Iterator[Path]:
    """Article files under ``folder``; each real folder is entered once (no symlink loops)."""
    visited: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = current.stat()
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            logger.debug("%s: folder already visited (symbolic link loop?), not entered again", current)
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            _note(errors, InputWarning(current, f"cannot list folder ({exc.strerror or exc}); skipped"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            sub = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links; the visited set stops loops
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                stack.append(sub)
            elif is_file:
                if sub.suffix.lower() in SUFFIXES:
                    yield sub
            elif entry.is_symlink() and sub.suffix.lower() in SUFFIXES:
                _note(errors, InputWarning(sub, "broken or looping symbolic link; skipped"))


def _note(errors: list[InputError] | None, problem: InputError) -> None:
    if errors is None:
        logger.warning("%s", problem)
    else:
        errors.append(problem)


# --------------------------------------------------------------------------- decoding
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u066e-\u06d3\ufb50-\ufefc]")


def _arabic_letters(text: str) -> int:
    return len(_ARABIC_LETTER.findall(text))


def _latin_letters_non_ascii(text: str) -> int:
    return sum(1 for c in text if c > "\x7f" and c.isalpha() and not ("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"))


def _mojibake(text: str) -> bool:
    """UTF-8 Arabic once decoded as Windows-1256: every letter becomes ط/ظ plus another."""
    arabic = _arabic_letters(text)
    if arabic < _MIN_LEGACY_LETTERS:
        return False
    ta_za = text.count("ط") + text.count("ظ")
    # In real Arabic news ط and ظ are ~2% of letters; in this mojibake ~50%.
    return ta_za / arabic > 0.3


def decode_article(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode an article file's bytes, refusing rather than guessing.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or Path
        For messages.

    Returns
    -------
    text : str
    encoding : str
        ``utf-8``, ``utf-8 (BOM)``, ``utf-16``, ``windows-1256`` or
        ``iso-8859-6``.

    Raises
    ------
    InputError
        Binary data, damaged UTF-8, or a legacy encoding that cannot be told
        with confidence; the message says to convert the file to UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _checked(data[3:].decode("utf-8"), path), "utf-8 (BOM)"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid UTF-8 although it starts with a UTF-8 BOM (byte {exc.start + 3})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid UTF-16 although it starts with a UTF-16 BOM (byte {exc.start})") from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"looks like a binary file ({kind}), not text")
    if b"\x00" in data[:65536]:
        raise InputError(path, "looks like a binary file, not text (NUL bytes; UTF-16 needs a BOM)")
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # Damaged UTF-8 (a truncated or spliced file) decodes as Arabic-looking
    # mojibake in Windows-1256: refuse it when most non-ASCII is valid UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f" and c != "\ufffd")
    if good > bad:
        raise InputError(path, f"not valid UTF-8 (byte {first_bad}) though mostly UTF-8: the file looks damaged or truncated")
    return _decode_legacy(data, path, first_bad)


def _decode_legacy(data: bytes, path: str | Path, first_bad: int) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    hint = "convert it to UTF-8 (e.g. iconv -f WINDOWS-1256 -t UTF-8)"
    results = list(from_bytes(data, cp_isolation=list(_LEGACY)))
    texts: dict[str, str] = {}
    for res in results:
        try:
            text = data.decode(res.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        arabic = _arabic_letters(text)
        if (
            res.chaos <= 0.2
            and arabic >= _MIN_LEGACY_LETTERS
            and not _mojibake(text)
            and _latin_letters_non_ascii(text) * 4 <= arabic
        ):
            texts[res.encoding] = text
    if not texts:
        raise InputError(
            path,
            f"not valid UTF-8 (byte {first_bad}), and not recognisably Arabic in Windows-1256 or ISO-8859-6 "
            f"(too little text, or another language); {hint}",
        )
    distinct = set(texts.values())
    if len(distinct) > 1:
        raise InputError(
            path, f"not valid UTF-8 (byte {first_bad}); could be Windows-1256 or ISO-8859-6 and they read differently; {hint}"
        )
    # Both agree (letters up to ض are the same in both) or only one fits.
    enc = next(iter(texts))
    return _checked(texts[enc], path), _LABELS.get(enc, enc)


def _checked(text: str, path: str | Path) -> str:
    if _mojibake(text):
        raise InputError(
            path,
            "text is mojibake (UTF-8 Arabic that was once read as Windows-1256: 'ظ…ط±ط­ط¨ط§'); repair it at the source",
        )
    return text


# --------------------------------------------------------------------------- HTML
_DROP = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside", "form",
         "button", "select", "canvas", "object", "head"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "main",
          "blockquote", "pre", "header", "figure", "figcaption", "table", "ul", "ol", "dd", "dt", "hr", "td",
          "th", "title", "body", "address"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextExtractor(HTMLParser):
    """Collects text per region (article, main, body), dropping non-content elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.drop = 0
        self.regions: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.in_region = {"article": 0, "main": 0}
        self.done_article = False
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = self.in_h1 = 0
        self.h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK:
                self._newline()
            return
        if tag == "body" and "head" in self.stack:  # a page that never closed its <head>
            del self.stack[self.stack.index("head") :]
            self.in_title = self.drop = 0
        self.stack.append(tag)
        if tag == "title":
            self.in_title += 1
        if tag in _DROP and tag != "head":
            self.drop += 1
        if tag == "h1" and not self.h1_done:
            self.in_h1 += 1
        if tag in self.in_region and not (tag == "article" and self.done_article):
            self.in_region[tag] += 1
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:  # close anything left open inside (broken markup)
            top = self.stack.pop()
            if top == "title":
                self.in_title = max(0, self.in_title - 1)
            if top in _DROP and top != "head":
                self.drop = max(0, self.drop - 1)
            if top == "h1" and self.in_h1:
                self.in_h1 -= 1
                self.h1_done = self.h1_done or bool("".join(self.h1).strip())
            if top in self.in_region and self.in_region[top]:
                self.in_region[top] -= 1
                if top == "article" and not self.in_region["article"]:
                    self.done_article = bool("".join(self.regions["article"]).strip())
            if top in _BLOCK:
                self._newline()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.drop or "head" in self.stack:
            return
        if self.in_h1 and not self.h1_done:
            self.h1.append(data)
        self.regions["body"].append(data)
        for region, depth in self.in_region.items():
            if depth:
                self.regions[region].append(data)

    def _newline(self) -> None:
        for region, parts in self.regions.items():
            if region == "body" or self.in_region.get(region):
                parts.append("\n")


def _clean_lines(raw: str) -> str:
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, str]:
    """The article text and title of an HTML page.

    Parameters
    ----------
    html : str
        The decoded page.

    Returns
    -------
    text : str
        One line per block element, white space collapsed as a browser
        would; from ``<article>`` when the page has one, else ``<main>``,
        else the body.  Scripts, styles, navigation, asides and footers are
        dropped (page furniture is not news).
    title : str
        The first ``<h1>``, else ``<title>``, else the first line.

    Examples
    --------
    >>> html_to_text("<title>x</title><h1>زيارة</h1><p>زار الوزير <b>الدوحة</b>.</p><script>alert(1)</script>")
    ('زيارة\\nزار الوزير الدوحة.', 'زيارة')
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = ""
    for region in ("article", "main", "body"):
        text = _clean_lines("".join(parser.regions[region]))
        if text:
            break
    title = " ".join("".join(parser.h1).split()) or " ".join("".join(parser.title).split())
    if not title:
        title = next(iter(text.splitlines()), "")
    return text, title


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a page: a BOM, then its declared charset when it fits, else as any article."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            try:
                name = codecs.lookup(declared).name
            except LookupError:
                name = ""
            if name in {"cp1256", "iso8859-6"}:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    text = ""
                if text and not _mojibake(text) and _arabic_letters(text) > 0:
                    return text, _LABELS.get(name.replace("-", "_"), name)
    return decode_article(data, path)


# --------------------------------------------------------------------------- reading
def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path,
                f"article too large ({size / 2**20:.1f} MiB; the limit is {max_bytes / 2**20:.0f} MiB): "
                "split it into articles",
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(path, f"article too large (over {max_bytes / 2**20:.0f} MiB): split it into articles")
    return data


def _check_text(path: str | Path, text: str, line: int | None = None) -> None:
    """Empty text is an error; text with no Arabic at all is skipped with a warning."""
    if not text.strip():
        raise InputError(path, "empty article (no text)" if line is None else "missing or empty 'text'", line)
    if not _ARABIC_LETTER.search(text):
        raise InputWarning(path, "no Arabic text in this article; skipped", line)


def _file_document(path: Path, text: str, title: str, published: dt.date | None) -> Document:
    """An article that is a whole file: its id is the file name without extension."""
    _check_text(path, text)
    return Document(
        id=path.stem,
        text=text,
        title=title,
        published=published,
        path=str(path),
        published_basis="--published" if published else None,
    )


def _document_from_txt(path: Path, text: str, published: dt.date | None) -> Document:
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _file_document(path, text, title, published)


def _document_from_html(path: Path, data: bytes, published: dt.date | None) -> Document:
    page, enc = _decode_html(data, path)
    logger.log(logging.DEBUG if enc.startswith("utf-8") else logging.INFO, "%s: read as %s", path, enc)
    text, title = html_to_text(page)
    return _file_document(path, text, title, published)


def _json_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` of a file read line by line; ``None`` for a line over the limit."""
    lineno = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the line without keeping it
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _string_ok(value: object) -> bool:
    """False for a string with a lone surrogate (a bad JSON ``\\ud800`` escape)."""
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _documents_from_jsonl(
    path: Path, published: dt.date | None, sink: list[InputError], max_bytes: int
) -> Iterator[Document]:
    ids: dict[str, int] = {}
    try:
        fh = path.open("rb")
    except OSError as exc:
        sink.append(InputError(path, f"cannot read file ({exc.strerror or exc})"))
        return
    with fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            sink.append(InputError(path, "JSON Lines files must be UTF-8 (this one is UTF-16 or binary); convert it"))
            return
        fh.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
        for lineno, raw in _json_lines(fh, max_bytes):
            if raw is None:
                sink.append(InputError(path, f"line too large (over {max_bytes / 2**20:.0f} MiB); skipped", lineno))
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                sink.append(InputError(path, f"not valid UTF-8 (byte {exc.start} of the line); JSON Lines must be UTF-8", lineno))
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                sink.append(InputError(path, f"not valid JSON ({exc.msg}, column {exc.colno})", lineno))
                continue
            except RecursionError:
                sink.append(InputError(path, "not valid JSON (nested too deeply)", lineno))
                continue
            if not isinstance(obj, dict):
                sink.append(InputError(path, "a line must be a JSON object", lineno))
                continue
            body = obj.get("text")
            if not isinstance(body, str) or not body.strip():
                sink.append(InputError(path, "missing or empty 'text'", lineno))
                continue
            if not all(_string_ok(obj.get(k)) for k in ("id", "text", "title", "source", "url")):
                sink.append(InputError(path, "invalid Unicode escape (a lone surrogate such as \\ud800)", lineno))
                continue
            doc_id = str(obj.get("id") or f"{path.stem}-{lineno}")
            if doc_id in ids:
                sink.append(InputWarning(path, f"duplicate id '{doc_id}' (first one kept, line {ids[doc_id]})", lineno))
                continue
            try:
                _check_text(path, body, lineno)
            except InputError as exc:
                sink.append(exc)
                continue
            ids[doc_id] = lineno
            pub = published
            basis = "--published" if published else None
            if obj.get("published"):
                try:
                    pub = parse_date(str(obj["published"]), where="'published'")
                    basis = "metadata"
                except ValueError as exc:
                    sink.append(InputError(path, str(exc), lineno))
                    continue
            title = obj.get("title")
            if not isinstance(title, str) or not title.strip():
                title = next((t.strip() for t in body.splitlines() if t.strip()), "")
            source, url = obj.get("source"), obj.get("url")
            yield Document(
                id=doc_id,
                text=body,
                title=title,
                published=pub,
                source=str(source) if source is not None else None,
                url=str(url) if url is not None else None,
                path=f"{path}:{lineno}",
                published_basis=basis,
            )


def _read_one(path: Path, published: dt.date | None, sink: list[InputError], max_bytes: int) -> Iterator[Document]:
    """The documents of one file; every problem goes to ``sink``."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _documents_from_jsonl(path, published, sink, max_bytes)
        return
    try:
        data = _read_bytes(path, max_bytes)
        if suffix in (".html", ".htm"):
            doc = _document_from_html(path, data, published)
        else:
            text, enc = decode_article(data, path)
            logger.log(logging.DEBUG if enc.startswith("utf-8") else logging.INFO, "%s: read as %s", path, enc)
            doc = _document_from_txt(path, text, published)
    except InputError as exc:
        sink.append(exc)
        return
    yield doc


def read_path(
    path: str | Path,
    published: dt.date | None = None,
    errors: list[InputError] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Document]:
    """Yield the articles of one file (see :func:`read_documents`).

    The build command reads file by file so that it knows which file each
    article came from (for ``--prune``) and which files had problems.
    """
    sink: list[InputError] = []
    for doc in _read_one(Path(path), published, sink, max_bytes):
        yield from _flush(sink, errors)
        yield doc
    yield from _flush(sink, errors)


def _flush(sink: list[InputError], errors: list[InputError] | None) -> Iterator[Document]:
    """Move problems to ``errors``; without it raise the first error, log warnings."""
    while sink:
        problem = sink.pop(0)
        if isinstance(problem, InputWarning):
            if errors is None:  # nobody collects it: log it, go on
                logger.warning("%s", problem)
            else:
                errors.append(problem)
            continue
        if errors is None:
            raise problem
        errors.append(problem)
    return
    yield  # a generator, so callers can ``yield from`` it


def read_documents(
    paths: Iterable[str | Path],
    published: dt.date | None = None,
    errors: list[InputError] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Document]:
    """Yield the articles under ``paths``.

    Parameters
    ----------
    paths : iterable of str or Path
        ``.txt`` files (the first non-empty line is the title; the id is the
        file name without extension), ``.html``/``.htm`` pages (markup
        stripped; title from ``<h1>`` or ``<title>``), ``.jsonl`` files (one
        article per line: ``id``, ``text``, optional ``published``,
        ``title``, ``url``, ``source``; UTF-8) or folders (read recursively).
    published : date, optional
        Publication date for articles whose metadata gives none.
    errors : list, optional
        Problems with single articles are appended here and reading goes on;
        without it, the first error is raised (warnings, such as an article
        with no Arabic, are only logged).
    max_bytes : int
        Largest article file or JSON Lines line read (:data:`MAX_ARTICLE_BYTES`).

    Yields
    ------
    Document
        Articles with no NLP done yet.

    Examples
    --------
    >>> docs = list(read_documents(["examples/articles"]))  # doctest: +SKIP
    """
    for path in iter_input_files(paths, errors):
        yield from read_path(path, published, errors, max_bytes)
