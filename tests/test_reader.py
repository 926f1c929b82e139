"""Reading articles: formats, dates, and one clear line for each bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diplograph.extract.reader import InputError, parse_date, read_documents

from .conftest import EXAMPLES


def test_txt_title_id_and_published(tmp_path: Path) -> None:
    p = tmp_path / "cairo-01.txt"
    p.write_text("\n\nعنوان الخبر\n\nنص الخبر هنا.\n", encoding="utf-8")
    (doc,) = read_documents([p], published=dt.date(2025, 5, 14))
    assert doc.id == "cairo-01"
    assert doc.title == "عنوان الخبر"
    assert doc.published == dt.date(2025, 5, 14)
    assert doc.text.startswith("\n\n")  # the text is kept exactly as read


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffخبر قصير".encode())
    (doc,) = read_documents([p])
    assert doc.text == "خبر قصير"


def test_jsonl_metadata_wins_over_flag() -> None:
    docs = list(read_documents([EXAMPLES / "articles.jsonl"], published=dt.date(2000, 1, 1)))
    assert [d.id for d in docs] == ["example-ankara-2024", "example-brussels-2025"]
    assert docs[0].published == dt.date(2024, 11, 20)
    assert docs[0].url == "https://example.org/ankara"
    assert docs[0].title == "فيدان يزور بغداد"
    assert docs[1].title == "الاتحاد الأوروبي يمدد عقوباته"


def test_folder_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("خبر أول", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text("خبر ثان", encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("ignored", encoding="utf-8")
    assert sorted(d.id for d in read_documents([tmp_path / "a"])) == ["one", "two"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"  \n\n ", "empty article"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "not valid UTF-8"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_txt_files(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        list(read_documents([p]))
    assert str(p) in str(err.value) and problem in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_jsonl_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    p.write_text(
        '{"id": "a", "text": "خبر أول"}\n'
        "not json\n"
        '{"id": "b"}\n'
        '{"id": "a", "text": "مكرر"}\n'
        '{"id": "c", "text": "خبر", "published": "2025-13-40"}\n'
        '{"id": "d", "text": "خبر أخير"}\n',
        encoding="utf-8",
    )
    errors: list[InputError] = []
    docs = list(read_documents([p], errors=errors))
    assert [d.id for d in docs] == ["a", "d"]
    assert [(e.line, e.problem.split(" (")[0]) for e in errors] == [
        (2, "not valid JSON"),
        (3, "missing or empty 'text'"),
        (4, "duplicate id 'a'"),
        (5, "'published': '2025-13-40' is not a valid calendar date"),
    ]
    assert str(errors[0]).startswith(f"{p}:2: ")


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_documents([tmp_path / "nope.txt"]))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported file type"):
        list(read_documents([tmp_path / "x.pdf"]))


@pytest.mark.parametrize("value", ["2025/05/14", "14-05-2025", "yesterday", "2025-02-30"])
def test_bad_published_dates(value: str) -> None:
    with pytest.raises(ValueError, match="--published"):
        parse_date(value)


def test_timestamp_published_is_accepted() -> None:
    assert parse_date("2025-05-14T09:30:00Z") == dt.date(2025, 5, 14)
