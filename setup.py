"""Optional compiled build of the extraction's hot modules (everything else is in pyproject.toml).

Why: after NER, the pipeline's time goes to pure-Python work spread over
thousands of small functions (dictionary lookups, argument slots, date
parsing); no single hot spot is left to fix (benchmarks/RESULTS.md).  mypyc
compiles those modules, unchanged and type-checked, to C extensions: linking,
dates and the event rules run 1.5–1.9× faster with the same output (everything
after NER 25–30 % cheaper, benchmarks/RESULTS.md).  It is opt-in:

    DIPLOGRAPH_COMPILE=1 pip install .        # or: make install-compiled

A plain ``pip install .`` or ``pip install -e .`` stays pure Python, so an
edit to a module takes effect at once.  An editable install never compiles
(a compiled module next to its source would shadow later edits).  The
compiled modules need a C compiler and Python's headers at install time, and
mypy (which contains mypyc) in the build environment; nothing at run time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
#: The modules compiled: the text and extraction stages after NER (the rest imports them unchanged).
COMPILED = ("normalize", "tokenize", "gazetteer", "wordsets", "linking", "dates", "rules")


def _ext_modules() -> list:
    if os.environ.get("DIPLOGRAPH_COMPILE") != "1":
        return []
    if any("editable" in arg for arg in sys.argv):
        print("DIPLOGRAPH_COMPILE ignored for an editable install (compiled modules would shadow edits)")
        return []
    if not {"bdist_wheel", "build_ext", "build", "install"} & set(sys.argv):
        return []  # pip asking for metadata only: nothing to compile yet
    from mypyc.build import mypycify

    # mypyc names modules after their folders; the sources live in extract/
    # and install as diplograph.extract (pyproject's package-dir), so they are
    # compiled from a copy laid out under that name.
    stage = HERE / "build" / "mypyc-src"
    shutil.rmtree(stage, ignore_errors=True)
    pkg = stage / "diplograph" / "extract"
    pkg.mkdir(parents=True)
    (stage / "diplograph" / "__init__.py").write_text("")
    for src in (HERE / "extract").glob("*.py"):
        shutil.copy2(src, pkg / src.name)
    cwd = os.getcwd()
    os.chdir(stage)
    try:
        # Type information comes from these and model.py (their only other
        # import); the package's NER modules would make mypy read torch's.
        return mypycify(
            [f"diplograph/extract/{name}.py" for name in (*COMPILED, "model", "__init__")],
            only_compile_paths=[f"diplograph/extract/{name}.py" for name in COMPILED],
            target_dir=str(stage / "c"),
            group_name="diplograph_extract",
        )
    finally:
        os.chdir(cwd)


setup(ext_modules=_ext_modules())
