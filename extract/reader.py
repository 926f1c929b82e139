"""Reading articles: plain text, JSON Lines, or folders of them.

Every problem with the input becomes an :class:`InputError` that names the
file (and line) and says what is wrong in one line, so the command line can
print it as is.  Reading never half-succeeds silently: a bad article is
reported, the good ones are still yielded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Document

__all__ = ["InputError", "parse_date", "read_documents", "iter_input_files", "SUFFIXES"]

SUFFIXES = (".txt", ".jsonl")


class InputError(Exception):
    """A problem with one input file or line, said in one line."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(slots=True)
class _Counter:
    n: int = 0


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


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand inputs into article files, folders read recursively in name order.

    Raises
    ------
    InputError
        For a path that does not exist or has an unsupported suffix.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            for sub in sorted(_walk(path), key=lambda p: str(p)):
                real = sub.resolve()
                if real not in seen:
                    seen.add(real)
                    yield sub
        elif path.suffix.lower() in SUFFIXES:
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                yield path
        else:
            raise InputError(path, f"unsupported file type '{path.suffix}' (expected .txt or .jsonl)")


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk without following symlinked folders: a symlink loop cannot trap us.
    for sub in folder.rglob("*"):
        if sub.is_file() and sub.suffix.lower() in SUFFIXES and not sub.name.startswith("."):
            yield sub


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 (byte {exc.start}); convert it to UTF-8") from None


def _document_from_txt(path: Path, text: str, published: dt.date | None) -> Document:
    if not text.strip():
        raise InputError(path, "empty article (no text)")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(
        id=path.stem,
        text=text,
        title=title,
        published=published,
        path=str(path),
        published_basis="--published" if published else None,
    )


def _documents_from_jsonl(
    path: Path, text: str, published: dt.date | None, errors: list[InputError]
) -> Iterator[Document]:
    ids: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(InputError(path, f"not valid JSON ({exc.msg}, column {exc.colno})", lineno))
            continue
        if not isinstance(obj, dict):
            errors.append(InputError(path, "a line must be a JSON object", lineno))
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            errors.append(InputError(path, "missing or empty 'text'", lineno))
            continue
        doc_id = str(obj.get("id") or f"{path.stem}-{lineno}")
        if doc_id in ids:
            errors.append(InputError(path, f"duplicate id '{doc_id}' (first one kept)", lineno))
            continue
        ids.add(doc_id)
        pub = published
        basis = "--published" if published else None
        if obj.get("published"):
            try:
                pub = parse_date(str(obj["published"]), where="'published'")
                basis = "metadata"
            except ValueError as exc:
                errors.append(InputError(path, str(exc), lineno))
                continue
        title = obj.get("title")
        if not isinstance(title, str) or not title.strip():
            title = next((t.strip() for t in body.splitlines() if t.strip()), "")
        yield Document(
            id=doc_id,
            text=body,
            title=title,
            published=pub,
            source=obj.get("source"),
            url=obj.get("url"),
            path=f"{path}:{lineno}",
            published_basis=basis,
        )


def read_documents(
    paths: Iterable[str | Path],
    published: dt.date | None = None,
    errors: list[InputError] | None = None,
) -> Iterator[Document]:
    """Yield the articles under ``paths``.

    Parameters
    ----------
    paths : iterable of str or Path
        ``.txt`` files (UTF-8; the first non-empty line is the title; the id is
        the file name without extension), ``.jsonl`` files (one article per
        line: ``id``, ``text``, optional ``published``, ``title``, ``url``,
        ``source``) or folders (read recursively).
    published : date, optional
        Publication date for articles whose metadata gives none.
    errors : list, optional
        Problems with single articles are appended here and reading goes on;
        without it, the first problem is raised.

    Yields
    ------
    Document
        Articles with no NLP done yet.

    Examples
    --------
    >>> docs = list(read_documents(["examples/articles"]))  # doctest: +SKIP
    """
    sink: list[InputError] = [] if errors is None else errors
    for path in iter_input_files(paths):
        try:
            text = _read_text(path)
        except InputError as exc:
            if errors is None:
                raise
            sink.append(exc)
            continue
        if path.suffix.lower() == ".jsonl":
            before = len(sink)
            yield from _documents_from_jsonl(path, text, published, sink)
            if errors is None and len(sink) > before:
                raise sink[before]
        else:
            try:
                yield _document_from_txt(path, text, published)
            except InputError as exc:
                if errors is None:
                    raise
                sink.append(exc)
