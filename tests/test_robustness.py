"""Robustness and safety (issue 10): bad input, crashes, re-runs and hostile text.

Each bad-input case has a defined behaviour and a one-line message; a real
``diplograph build`` subprocess is killed with SIGKILL in the middle of a
build and resumed; two builds on one store do not both write; IRIs minted
from hostile text survive Turtle, TriG, N-Quads and SPARQL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.extract.model import Document, Entity
from diplograph.extract.pipeline import default_pipeline
from diplograph.extract.reader import (
    InputError,
    InputWarning,
    decode_article,
    html_to_text,
    iter_input_files,
    read_documents,
)
from diplograph.graph.manifest import input_hash, read_manifest
from diplograph.graph.rdf import actor_triples, article_triples
from diplograph.graph.store import KnowledgeStore
from diplograph.ontology import DG, RDFS, actor_iri, article_graph, article_iri, event_iri, safe_segment

from .conftest import EXAMPLES

runner = CliRunner()
DIPLOGRAPH = Path(sys.executable).with_name("diplograph")
OMAN = (EXAMPLES / "articles" / "oman_iran.txt").read_text(encoding="utf-8")
DOHA = (EXAMPLES / "articles" / "doha_talks.txt").read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text, text
    return text


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201 - a Pipeline
    return default_pipeline(use_ner=False)


# =========================================================================== encodings
@pytest.mark.parametrize(
    ("codec", "prefix", "label"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8 (BOM)"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("cp1256", b"", "windows-1256"),
        ("iso8859_6", b"", "iso-8859-6"),
    ],
)
def test_encodings_are_detected_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, codec: str, prefix: bytes, label: str
) -> None:
    expected = OMAN.encode(codec, errors="ignore").decode(codec)  # ISO-8859-6 lacks a few marks
    p = tmp_path / "article.txt"
    p.write_bytes(prefix + expected.encode(codec))
    with caplog.at_level(logging.DEBUG, logger="diplograph.extract.reader"):
        (doc,) = read_documents([p])
    assert doc.text == expected
    assert doc.title == "مسقط تحتضن محادثات إيرانية أمريكية غير مباشرة"
    assert f"{p}: read as {label}" in caplog.text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("خبر".encode("cp1256"), "not recognisably Arabic"),  # too short to tell
        ("Le ministre a visité Beyrouth hier.".encode("latin-1"), "not recognisably Arabic"),
        (OMAN.encode()[:-40] + b"\xd8", "looks damaged or truncated"),
        (OMAN.encode().decode("cp1256", errors="replace").encode(), "mojibake"),
    ],
    ids=["short-cp1256", "latin-1", "damaged-utf8", "mojibake"],
)
def test_unsure_encodings_are_refused_not_guessed(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "odd.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        list(read_documents([p]))
    assert str(err.value).startswith(f"{p}: ") and problem in one_line(err.value)
    assert "UTF-8" in str(err.value) or "mojibake" in str(err.value)


# =========================================================================== binary, empty, big
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file (ZIP/Office)"),
        (bytes(range(256)) * 4, "binary file"),
        (bytes(b % 128 + 128 for b in range(4000)), "not valid UTF-8"),
        (b" \n\t\r\n", "empty article"),
        ("\u00a0\u2003\n\u3000\n".encode(), "empty article"),
    ],
    ids=["pdf", "png", "zip", "nul-bytes", "high-bytes", "whitespace", "unicode-spaces"],
)
def test_binary_and_empty_files(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(content)
    errors: list[InputError] = []
    assert list(read_documents([p], errors=errors)) == []
    (err,) = errors
    assert not isinstance(err, InputWarning)
    assert problem in one_line(err)


def test_a_50_mb_article_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        chunk = (DOHA * 50).encode()
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"article too large \(50\.\d MiB; the limit is 1 MiB\)"):
            list(read_documents([big]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 2**20, peak


def test_a_50_mb_jsonl_line_is_skipped_and_the_file_streamed(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "before", "text": OMAN}, ensure_ascii=False) + "\n")
        fh.write('{"id": "huge", "text": "')
        for _ in range(50):
            fh.write("خبر " * (2**20 // 7))
        fh.write('"}\n')
        fh.write(json.dumps({"id": "after", "text": DOHA}, ensure_ascii=False) + "\n")
    assert p.stat().st_size > 50 * 2**20
    errors: list[InputError] = []
    tracemalloc.start()
    try:
        ids = [d.id for d in read_documents([p], errors=errors)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == ["before", "after"]
    assert [(e.line, e.problem) for e in errors] == [(2, "line too large (over 1 MiB); skipped")]
    assert peak < 8 * 2**20, peak  # a line's worth at most, never the 50 MB file


def test_a_run_on_sentence_is_cut_and_processed(nlp) -> None:  # noqa: ANN001
    words = re.sub(r"[^\w\s]", " ", DOHA).split()
    text = " ".join(words * 12)  # ~13,000 characters, not one punctuation mark or line break
    assert not re.search(r"[.!?؟،\n]", text)
    start = time.perf_counter()
    doc = nlp(Document(id="runon", text=text))
    assert time.perf_counter() - start < 20
    assert len(doc.sentences) > 1 and all(len(s.tokens) <= 150 for s in doc.sentences)
    assert all(text[s.start : s.end] == s.text for s in doc.sentences)
    assert all(0 <= a < b <= len(text) for ev in doc.events for a, b in ev.evidence)


# =========================================================================== HTML, languages
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>مسقط | موقع الأخبار</title>
<style>p { color: red }</style><script>var x = "<p>لا تظهر</p>"; alert(1)</script></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/world">العالم</a></nav>
<article><header><h1>مسقط تحتضن   محادثات</h1></header>
<p>استضافت سلطنة عمان &quot;جولة&quot; جديدة من المحادثات&nbsp;غير المباشرة.<br>وقال الوزير إن <b>الأجواء</b> إيجابية.
<p>فقرة ثانية بلا وسم إغلاق
<aside>اقرأ أيضا: خبر آخر</aside><noscript>فعّل جافاسكربت</noscript>
</article><footer>© 2025 جميع الحقوق محفوظة</footer></body></html>"""


def test_html_markup_is_stripped_with_a_parser(tmp_path: Path) -> None:
    p = tmp_path / "muscat.html"
    p.write_text(PAGE, encoding="utf-8")
    (doc,) = read_documents([p])
    assert doc.id == "muscat" and doc.title == "مسقط تحتضن محادثات"
    assert doc.text.splitlines() == [
        "مسقط تحتضن محادثات",
        'استضافت سلطنة عمان "جولة" جديدة من المحادثات غير المباشرة.',
        "وقال الوزير إن الأجواء إيجابية.",
        "فقرة ثانية بلا وسم إغلاق",
    ]
    for furniture in ("alert", "لا تظهر", "color", "الرئيسية", "اقرأ أيضا", "جافاسكربت", "الحقوق", "<", ">"):
        assert furniture not in doc.text


def test_html_title_falls_back_to_title_element_and_legacy_charset(tmp_path: Path) -> None:
    body = f"<html><head><meta charset=windows-1256><title>عنوان الصفحة</title></head><body><p>{OMAN}</p></body></html>"
    p = tmp_path / "legacy.htm"
    p.write_bytes(body.encode("cp1256"))
    (doc,) = read_documents([p])
    assert doc.title == "عنوان الصفحة"
    assert doc.text.startswith("مسقط تحتضن محادثات") and "عنوان الصفحة" not in doc.text
    assert html_to_text("<p>x</p>") == ("x", "x")
    assert html_to_text("<html><head><title>عنوان<body><p>نص الخبر</p>") == ("نص الخبر", "عنوان")  # <head> never closed


def test_mixed_arabic_english_is_kept_whole(tmp_path: Path, nlp) -> None:  # noqa: ANN001
    text = (
        "Reuters — Muscat, 12 April 2025 (updated)\n"
        "استضافت سلطنة عمان في مسقط يوم السبت محادثات غير مباشرة بين إيران والولايات المتحدة.\n"
        'The talks were "constructive", a US official said. <b>not markup</b>\n'
    )
    p = tmp_path / "mixed.txt"
    p.write_text(text, encoding="utf-8")
    (doc,) = read_documents([p])
    assert doc.text == text
    nlp(doc)
    assert {e.type for e in doc.events} & {"HOST", "NEGOTIATE", "MEDIATE"}
    assert all(0 <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text for s in doc.sentences)


def test_text_with_no_arabic_is_skipped_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "english.txt").write_text("The minister visited Doha on Tuesday.", encoding="utf-8")
    (src / "arabic.txt").write_text(OMAN, encoding="utf-8")
    errors: list[InputError] = []
    assert [d.id for d in read_documents([src], errors=errors)] == ["arabic"]
    (warn,) = errors
    assert isinstance(warn, InputWarning) and "no Arabic text in this article; skipped" in one_line(warn)
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
    assert code == 0, out  # a warning is not a failure
    assert "warning:" in out and "english.txt: no Arabic text" in out and "stored 1 articles" in out


# =========================================================================== folders, ids
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_do_not_trap_the_walk(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "2025" / "may").mkdir(parents=True)
    (root / "2025" / "may" / "a.txt").write_text(OMAN, encoding="utf-8")
    (root / "2025" / "b.txt").write_text(DOHA, encoding="utf-8")
    (root / "2025" / "may" / "up").symlink_to(root, target_is_directory=True)  # loop to the top
    (root / "2025" / "self").symlink_to(root / "2025", target_is_directory=True)  # loop to itself
    (root / "2025" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "2025" / "ping.txt").symlink_to(root / "2025" / "pong.txt")
    (root / "2025" / "pong.txt").symlink_to(root / "2025" / "ping.txt")
    errors: list[InputError] = []
    start = time.perf_counter()
    files = list(iter_input_files([root], errors))
    assert time.perf_counter() - start < 5
    assert sorted(f.name for f in files) == ["a.txt", "b.txt"]
    assert sorted(Path(e.path).name for e in errors) == ["dangling.txt", "ping.txt", "pong.txt"]
    assert all(isinstance(e, InputWarning) and "symbolic link" in one_line(e) for e in errors)
    with pytest.raises(InputError, match="broken or looping symbolic link"):
        list(iter_input_files([root / "2025" / "ping.txt"]))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        list(read_documents([fifo]))
    assert list(read_documents([tmp_path])) == []  # in a folder it is not an article file


def test_duplicate_ids_first_kept_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    lines = [
        {"id": "x1", "text": OMAN},
        {"id": "x1", "text": DOHA},
        {"id": "bad-escape", "text": "خبر"},
        {"id": "oman_iran", "text": DOHA},
    ]
    text = "\n".join(json.dumps(obj, ensure_ascii=False) for obj in lines)
    text = text.replace('"text": "خبر"', '"text": "خبر \\ud800"')  # a lone surrogate escape
    (src / "batch.jsonl").write_text(text + "\n", encoding="utf-8")
    (src / "oman_iran.txt").write_text(OMAN, encoding="utf-8")
    errors: list[InputError] = []
    docs = list(read_documents([src / "batch.jsonl"], errors=errors))
    assert [d.id for d in docs] == ["x1", "oman_iran"] and docs[0].text == OMAN
    assert [(type(e).__name__, e.line, e.problem) for e in errors] == [
        ("InputWarning", 2, "duplicate id 'x1' (first one kept, line 1)"),
        ("InputError", 3, "invalid Unicode escape (a lone surrogate such as \\ud800)"),
    ]
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
    assert code == 1, out  # the bad escape is an error; the duplicates are warnings
    assert "warning:" in out and "duplicate article id 'oman_iran' (first one kept" in out
    with KnowledgeStore(tmp_path / "kg") as kg:
        assert kg.article_ids() == ["oman_iran", "x1"]
        (hash_,) = (str(r[0]) for r in kg.query("SELECT ?h WHERE { ?a dg:id 'oman_iran' ; dg:contentHash ?h }"))
    # the first one met (batch.jsonl sorts before oman_iran.txt) is the one stored
    assert hash_ == article_triples(Document(id="oman_iran", text=DOHA)).value(
        URIRef(article_iri("oman_iran")), DG.contentHash
    ).toPython()


# =========================================================================== incremental builds
def _built_at(store: Path) -> dict[str, str]:
    with KnowledgeStore(store) as kg:
        return {e.doc_id: e.built_at or "" for e in read_manifest(kg).values()}


def test_incremental_build_skips_replaces_prunes_and_forces(tmp_path: Path) -> None:
    src, kg = tmp_path / "in", tmp_path / "kg"
    src.mkdir()
    (src / "doha.txt").write_text(DOHA, encoding="utf-8")
    (src / "oman.txt").write_text(OMAN, encoding="utf-8")
    (src / "batch.jsonl").write_text(json.dumps({"id": "j1", "text": OMAN, "published": "2025-04-12"}) + "\n")
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner")
    assert code == 0 and "stored 3 articles" in out and "0 unchanged" in out, out
    first = _built_at(kg)
    time.sleep(1.1)  # provenance times have one-second precision

    # 1. same input: no NLP, nothing rewritten
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner", "-v")
    assert code == 0 and "stored 0 articles" in out and "3 unchanged" in out, out
    assert _built_at(kg) == first

    # 2. a changed text, and changed metadata with the same text: both rebuilt, nothing duplicated
    (src / "oman.txt").write_text(OMAN + "\nوأكد الوزير أن المحادثات ستستمر.\n", encoding="utf-8")
    (src / "batch.jsonl").write_text(json.dumps({"id": "j1", "text": OMAN, "published": "2025-04-13"}) + "\n")
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner")
    assert code == 0 and "stored 2 articles" in out and "1 unchanged" in out, out
    again = _built_at(kg)
    assert again["doha"] == first["doha"] and again["oman"] != first["oman"] and again["j1"] != first["j1"]
    with KnowledgeStore(kg) as store:
        rows = list(store.query("SELECT ?d WHERE { ?a dg:id 'j1' ; schema:datePublished ?d }"))
        assert [str(r[0]) for r in rows] == ["2025-04-13"]
        assert len(list(store.query("SELECT ?a WHERE { ?a a dg:Article }"))) == 3

    # 3. a removed file: reported, and removed with --prune only
    (src / "doha.txt").unlink()
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner")
    assert code == 0 and "2 unchanged" in out and "1 stored articles have no input file" in out, out
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner", "--prune")
    assert code == 0 and "1 pruned" in out, out
    with KnowledgeStore(kg) as store:
        assert store.article_ids() == ["j1", "oman"]

    # 4. a file that exists but cannot be read any more is not pruned (broken is not deleted)
    (src / "oman.txt").write_bytes(b"\x00binary now")
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner", "--prune")
    assert code == 1 and "0 pruned" in out, out
    with KnowledgeStore(kg) as store:
        assert store.article_ids() == ["j1", "oman"]

    # 5. --force rebuilds all; a changed NER setting rebuilds as well
    (src / "oman.txt").write_text(OMAN, encoding="utf-8")
    code, out = run("build", str(src), "--store", str(kg), "-q", "--no-ner", "--force")
    assert code == 0 and "stored 2 articles" in out and "0 unchanged" in out, out
    with KnowledgeStore(kg) as store:
        entries = read_manifest(store)
    assert {e.ner_model for e in entries.values()} == {"none"}
    assert entries["j1"].input_file == str((src / "batch.jsonl").resolve())


@pytest.mark.slow
def test_a_parallel_build_writes_the_manifest_too(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"p{i}.txt").write_text(_variant(i), encoding="utf-8")
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner", "--workers", "2")
    assert code == 0 and "stored 3 articles" in out, out
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
    assert code == 0 and "stored 0 articles" in out and "3 unchanged" in out, out
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner", "--scheduler", "nowhere", "--force")
    assert code == 1 and "scheduler 'nowhere'" in out, out


# =========================================================================== crash safety
N_ARTICLES = 24


def _variant(i: int) -> str:
    base = DOHA if i % 2 else OMAN
    day = i % 27 + 1
    text = re.sub(r"\b1[0-9]\b", str(day), base, count=1)
    return f"{text}\nوقال المتحدث في البيان رقم {i} إن الاتصالات مستمرة.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, nlp) -> tuple[Path, dict[str, tuple[int, int]]]:  # noqa: ANN001
    """24 small articles, and what a clean build stores for each: (triples, events)."""
    src = tmp_path_factory.mktemp("corpus") / "articles"
    src.mkdir()
    expected: dict[str, tuple[int, int]] = {}
    for i in range(N_ARTICLES):
        path = src / f"a{i:03d}.txt"
        path.write_text(_variant(i), encoding="utf-8")
        (doc,) = read_documents([path])
        nlp(doc)
        # + 2 manifest triples (input hash, input file)
        expected[doc.id] = (len(article_triples(doc, ner_model="none", pipeline_version="x")) + 2, len(doc.events))
    assert sum(ev for _, ev in expected.values()) > N_ARTICLES  # the articles do have events
    return src, expected


def _article_counts(store: Path) -> dict[str, tuple[int, int]]:
    q = """SELECT ?id (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a dg:Article ; dg:id ?id . ?s ?p ?o } } GROUP BY ?id"""
    qe = """SELECT ?id (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?a a dg:Article ; dg:id ?id .
            OPTIONAL { ?e a dg:Event } } } GROUP BY ?id"""
    with KnowledgeStore(store) as kg:
        triples = {str(r[0]): int(r[1]) for r in kg.query(q)}
        events = {str(r[0]): int(r[1]) for r in kg.query(qe)}
        graphs = [g for g in kg.graphs() if "/graph/article/" in g]
    assert len(graphs) == len(triples)  # no article graph without its article node
    return {k: (triples[k], events[k]) for k in triples}


def _start_build(src: Path, store: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(DIPLOGRAPH), "build", str(src), "--store", str(store), "--no-ner", "-q", "-v", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )


def _wait_for_stored(proc: subprocess.Popen[str], n: int) -> list[str]:
    lines: list[str] = []
    assert proc.stdout is not None
    while sum(line.startswith("INFO stored ") for line in lines) < n:
        line = proc.stdout.readline()
        assert line, f"build ended early: {''.join(lines)}"
        lines.append(line)
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("batch", ["0", "1", "2000"], ids=["one-transaction-each", "bulk-each", "bulk-batches"])
def test_kill_9_mid_build_then_resume(
    tmp_path: Path, corpus: tuple[Path, dict[str, tuple[int, int]]], batch: str
) -> None:
    """Killed mid-build, whatever the write path: each article in the store is whole.

    ``--batch-quads 0`` writes one transaction per article; ``1`` sends every
    article through the bulk loader with its journal; ``2000`` writes
    batches of about seven articles.
    """
    from diplograph.graph.validate import validate

    src, expected = corpus
    store = tmp_path / "kg"
    proc = _start_build(src, store, "--batch-quads", batch)
    try:
        _wait_for_stored(proc, 4)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    after_kill = _article_counts(store)
    assert 4 <= len(after_kill) < N_ARTICLES, len(after_kill)
    for doc_id, got in after_kill.items():  # every stored article is complete, none half-written
        assert got == expected[doc_id], doc_id

    resumed = subprocess.run(
        [str(DIPLOGRAPH), "build", str(src), "--store", str(store), "--no-ner", "-q"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"stored {N_ARTICLES - len(after_kill)} articles" in resumed.stderr
    assert f"{len(after_kill)} unchanged" in resumed.stderr
    assert _article_counts(store) == expected
    with KnowledgeStore(store) as kg:
        conforms, report = validate(kg)
    assert conforms, report[:2000]


@pytest.mark.slow
def test_two_builds_at_once_one_refuses(tmp_path: Path, corpus: tuple[Path, dict[str, tuple[int, int]]]) -> None:
    src, expected = corpus
    store = tmp_path / "kg"
    KnowledgeStore(store, create=True).close()
    procs = [_start_build(src, store) for _ in range(2)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert sorted(p.returncode for p in procs) == [0, 1], outs
    refused = outs[[p.returncode for p in procs].index(1)]
    assert "in use by another diplograph process" in refused and "--wait" in refused
    assert len(refused.strip().splitlines()) == 1, refused
    assert _article_counts(store) == expected  # the winner's build is whole


def test_a_build_waits_for_the_lock_with_wait(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "oman.txt").write_text(OMAN, encoding="utf-8")
    holder = KnowledgeStore(tmp_path / "kg", create=True)  # another writer holds the store
    try:
        code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
        assert code == 1 and "in use by another diplograph process" in out and "--wait" in out
        waiting = _start_build(src, tmp_path / "kg", "--wait")
        assert waiting.stdout is not None
        assert "waiting:" in waiting.stdout.readline()
        assert waiting.poll() is None
    finally:
        holder.close()
    out, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out
    assert "stored 1 articles" in out


def test_ctrl_c_leaves_complete_articles_and_says_to_rerun(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"b{i}.txt").write_text(_variant(i), encoding="utf-8")
    proc = _start_build(src, tmp_path / "kg", "--batch-quads", "0")  # "stored" as each article is written
    try:
        _wait_for_stored(proc, 2)
        proc.send_signal(signal.SIGTERM)  # handled as Ctrl-C
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode == 0:  # it finished before the signal landed: nothing to check
        pytest.skip("the build finished before the signal")
    assert proc.returncode == 130, out
    assert "interrupted:" in out and "run the same build again to finish" in out
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
    assert code == 0 and "unchanged" in out
    assert len(_article_counts(tmp_path / "kg")) == 6


# =========================================================================== hostile text → IRIs
HOSTILE = [
    'a"b',
    "x> <y",
    "<script>alert(1)</script>",
    "two words",
    "line\nbreak\r\n",
    "tab\there",
    "rtl\u200fmark\u202eevil\u202c",
    "ar:عبد الله \"أبو\" <الخير>",
    "curly{}|^`\\",
    "#frag?q=1&x=%41",
    "..",
    " ",
    "''' \"\"\" ;. } GRAPH <x> { }",
    "separators\u2028line\u2029para\x85nel",  # str.splitlines breaks at each (XML-legal ones here)
]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_segment_gives_plain_iri_characters(name: str) -> None:
    seg = safe_segment(name)
    assert re.fullmatch(r"[A-Za-z0-9%\-._~:]*", seg), seg
    assert URIRef(actor_iri(name)) != URIRef(actor_iri(name + "x"))


def test_hostile_iris_survive_every_format_and_sparql(tmp_path: Path) -> None:
    ds = Dataset()
    for i, name in enumerate(HOSTILE):
        g = ds.graph(URIRef(article_graph(name)))
        g.add((URIRef(article_iri(name)), DG.id, Literal(name)))
        g.add((URIRef(event_iri(name, name)), DG.actor, URIRef(actor_iri(name))))
        g.add((URIRef(actor_iri(name)), RDFS.label, Literal(name, lang="ar")))
        g.add((URIRef(actor_iri(name)), DG["count"], Literal(i)))
    for fmt in ("trig", "nquads"):
        text = ds.serialize(format=fmt)
        back = Dataset()
        back.parse(data=text, format=fmt)
        for name in HOSTILE:
            assert isomorphic(back.graph(URIRef(article_graph(name))), ds.graph(URIRef(article_graph(name)))), fmt
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    for fmt in ("turtle", "nt", "xml", "json-ld"):
        assert isomorphic(Graph().parse(data=union.serialize(format=fmt), format=fmt), union), fmt


def test_hostile_ids_and_names_through_the_store_export_and_queries(tmp_path: Path) -> None:
    from diplograph.graph.export import export_store, import_file

    src = tmp_path / "in"
    src.mkdir()
    with (src / "hostile.jsonl").open("w", encoding="utf-8") as fh:
        for name in HOSTILE:
            fh.write(json.dumps({"id": name, "title": name, "url": name, "text": f"{OMAN}\n{name}"}, ensure_ascii=False) + "\n")
    kg_path = tmp_path / "kg"
    code, out = run("build", str(src), "--store", str(kg_path), "-q", "--no-ner")
    ids = set(HOSTILE)
    assert code == 0, out
    entities = [Entity(id=n, label_en=n, label_ar=n, type="Person", affiliation=n) for n in HOSTILE]
    with KnowledgeStore(kg_path) as kg:
        kg.replace_article("actors-only", article_triples(Document(id="actors-only", text="خبر")), actor_triples(entities))
        assert sorted(kg.article_ids()) == sorted(ids | {"actors-only"})
        for name in HOSTILE:
            rows = list(kg.query(f"SELECT ?id WHERE {{ GRAPH <{article_graph(name)}> {{ <{article_iri(name)}> dg:id ?id }} }}"))
            assert [str(r[0]) for r in rows] == [name]
            assert kg.query(f"ASK {{ GRAPH ?g {{ <{actor_iri(name)}> rdfs:label ?l }} }}").askAnswer, name
        n_quads = len(kg)
        for fmt, suffix in (("trig", ".trig"), ("nquads", ".nq"), ("turtle", ".ttl")):
            export_store(kg, tmp_path / f"dump{suffix}", fmt)
    for fmt, suffix in (("trig", ".trig"), ("nquads", ".nq")):
        with KnowledgeStore(tmp_path / f"back-{fmt}", create=True) as back:
            import_file(back, tmp_path / f"dump{suffix}", fmt)
            assert len(back) == n_quads, fmt
            assert sorted(back.article_ids()) == sorted(ids | {"actors-only"})
    turtle = list(ox.parse(path=str(tmp_path / "dump.ttl"), format=ox.RdfFormat.TURTLE))
    assert {q.object.value for q in turtle if q.predicate.value == str(DG.id)} >= set(HOSTILE)


def test_line_separators_inside_titles_and_text_are_stored_whole(tmp_path: Path) -> None:
    """U+2028, U+0085, form feeds... end a line for ``str.splitlines`` but not for N-Triples.

    An article whose title held one failed to store ("not an N-Triples line"):
    the store split its RDF with ``splitlines``.  Web text carries them.
    """
    from diplograph.graph.export import export_store, import_file

    odd = "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"
    src = tmp_path / "in"
    src.mkdir()
    with (src / "a.jsonl").open("w", encoding="utf-8") as fh:
        for k in range(3):  # written together, as a build batches new articles
            title = f"عنوان{odd}{k}"
            fh.write(json.dumps({"id": f"a{k}", "title": title, "text": f"{OMAN}{odd}\n{title}"}, ensure_ascii=False) + "\n")
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q", "--no-ner")
    assert code == 0, out
    with KnowledgeStore(tmp_path / "kg") as kg:
        rows = {str(r[0]): str(r[1]) for r in kg.query("SELECT ?id ?t WHERE { GRAPH ?g { ?a dg:id ?id ; dcterms:title ?t } }")}
        assert rows == {f"a{k}": f"عنوان{odd}{k}" for k in range(3)}
        n = len(kg)
        export_store(kg, tmp_path / "dump.nq", "nquads")
    with KnowledgeStore(tmp_path / "back", create=True) as back:
        import_file(back, tmp_path / "dump.nq", "nquads")
        assert len(back) == n


def test_turtle_export_of_an_id_ending_in_a_dot_reads_back_in_rdflib(tmp_path: Path) -> None:
    from diplograph.graph.export import export_store

    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article("report.", article_triples(Document(id="report.", text="خبر")))
        export_store(kg, tmp_path / "dump.ttl", "turtle")
    ids = {str(o) for o in Graph().parse(tmp_path / "dump.ttl", format="turtle").objects(None, DG.id)}
    assert ids == {"report."}


def test_manifest_fingerprint_covers_metadata() -> None:
    a = Document(id="x", text="خبر", title="t", published=dt.date(2025, 1, 1))
    b = Document(id="x", text="خبر", title="t", published=dt.date(2025, 1, 2))
    c = Document(id="x", text="خبر", title="t", published=dt.date(2025, 1, 1))
    assert input_hash(a) != input_hash(b) and input_hash(a) == input_hash(c)
    assert input_hash(Document(id="x", text="خبر", url="u")) != input_hash(Document(id="x", text="خبر"))
    assert input_hash(Document(id="x", text="خبر ")) != input_hash(Document(id="x", text="خبر"))
    assert decode_article("خبر".encode(), "p") == ("خبر", "utf-8")
