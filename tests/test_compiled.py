"""The optional compiled build (``DIPLOGRAPH_COMPILE=1``, setup.py) extracts exactly what the Python modules do.

Builds the wheel as ``make install-compiled`` does (mypyc from the test
environment's mypy, a C compiler), unpacks it beside the test, and runs the
full pipeline (the shipped Stanza model included) on the example articles in
a separate interpreter that imports the compiled package; the N-Triples must
equal this process's, and the seven compiled modules must be C extensions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

COMPILED = ("normalize", "tokenize", "gazetteer", "wordsets", "linking", "dates", "rules")

#: Run in the other interpreter (and here): every example article's N-Triples at a fixed time.
SCRIPT = """
import datetime as dt, json, sys
from pathlib import Path
from diplograph.extract import {modules}
from diplograph.extract.pipeline import default_pipeline
from diplograph.extract.reader import read_documents
from diplograph.graph.rdf import article_ntriples

files = {{name: mod.__file__ for name, mod in zip({names!r}, [{modules}])}}
nlp = default_pipeline()
when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
out = {{}}
for doc in read_documents([Path(p) for p in sys.argv[1:]]):
    nlp(doc)
    out[doc.id] = sorted(article_ntriples(doc, extracted_at=when, pipeline_version="x").splitlines())
print(json.dumps({{"files": files, "graphs": out}}, ensure_ascii=False))
""".format(modules=", ".join(COMPILED), names=COMPILED)


def _cannot_compile() -> str | None:
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypyc (part of mypy, installed by the dev extra) is not importable"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "Python's C headers (Python.h) are not installed"
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc}) on PATH"
    return None


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = _cannot_compile()
    if reason:
        pytest.skip(f"the compiled build cannot be made here: {reason}")
    wheels = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "DIPLOGRAPH_COMPILE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    (wheel,) = wheels.glob("diplograph-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def _extract(inputs: list[Path], site: Path | None, cwd: Path) -> dict:
    env = dict(os.environ)
    if site is not None:
        env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, inputs)], env=env, cwd=cwd,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_compiled_build_gives_the_same_graph(compiled_site: Path, tmp_path: Path) -> None:
    inputs = [EXAMPLES / "articles", EXAMPLES / "articles.jsonl"]
    fast = _extract(inputs, compiled_site, tmp_path)
    for name in COMPILED:
        path = Path(fast["files"][name])
        assert path.is_relative_to(compiled_site) and path.suffix == ".so", (name, path)
    plain = _extract(inputs, None, ROOT)  # the installed package: the checkout's modules after `make install`
    if not all(f.endswith(".py") for f in plain["files"].values()):
        pytest.skip("the installed diplograph is itself the compiled build: no pure-Python run to compare with")
    assert len(fast["graphs"]) >= 3 and all(fast["graphs"].values())
    assert fast["graphs"] == plain["graphs"]
