"""Tests of the shipped Stanza NER model, its scorer and the ``official`` option.

They use the real shipped model (no mock of our own code).  Only the network
boundary is mocked for ``model="official"``: ``stanza.download``.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
import stanza
from typer.testing import CliRunner

from diplograph.cli_ner import app
from diplograph.extract import ner
from diplograph.extract.ner import NERModelUnavailable, model_files, ner_mentions, tag
from diplograph.extract.ner_training import bio_spans, read_conll, span_scores, split_long
from diplograph.extract.tokenize import sentences_with_tokens

SAMPLE = Path(__file__).parent / "data" / "ner_sample.conll"
EXAMPLES_ARTICLE = Path(__file__).parents[1] / "examples" / "articles" / "doha_talks.txt"
SHARED = Path(__file__).parents[1] / ".." / "shared"
ANERCORP_TEST = SHARED / "data" / "ner" / "anercorp" / "test.conll"

#: ANERcorp test F1 floor: a little under what the shipped model reaches (see MODEL_CARD.md).
ANERCORP_F1_FLOOR = 0.62


# ---------------------------------------------------------------- shipped model


def test_default_model_files_are_shipped() -> None:
    files = model_files("default")
    assert files["ner"].name == "ner.pt"
    assert "pretrain" in files
    assert (files["dir"] / "MODEL_CARD.md").is_file()
    size = sum(p.stat().st_size for p in files["dir"].iterdir())
    assert size <= 60 * 1024 * 1024


def test_loads_offline_and_tags_arabic_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default model never touches the network: any download attempt fails the test."""

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the default model must not download anything")

    monkeypatch.setattr(stanza, "download", no_network)
    monkeypatch.setattr("stanza.resources.common.download_resources_json", no_network)
    text = (
        "استقبل الرئيس المصري عبد الفتاح السيسي في القاهرة اليوم وزير الخارجية الأمريكي أنتوني بلينكن.\n"
        "وبحث الجانبان دور الأمم المتحدة في قطاع غزة."
    )
    sents = sentences_with_tokens(text)
    mentions = ner_mentions(sents)
    found = {(m.label, m.text) for m in mentions}
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.source == "ner"
        assert m.label in ner.LABELS
        assert m.sentence in (0, 1)
    labels = {m.label for m in mentions}
    assert {"PER", "LOC", "ORG"} <= labels, found
    assert ("LOC", "القاهرة") in found, found
    assert ("ORG", "الأمم المتحدة") in found, found


def test_tag_returns_bio_per_token() -> None:
    toks = [["زار", "وزير", "الخارجية", "الفرنسي", "بغداد", "أمس", "."], [], ["دمشق"]]
    tags = tag(toks)
    assert [len(t) for t in tags] == [7, 0, 1]
    assert all(t == "O" or t[:2] in ("B-", "I-") for row in tags for t in row)
    assert tags[0][4] == "B-LOC"


def test_tagging_leaves_no_reference_cycles_for_the_collector() -> None:
    """Stanza's tagged sentences are freed as soon as NER is done with them (see ``ner._release``).

    Left linked, every article handed the garbage collector about 600 objects
    in cycles; a build spent most of its collector time on them.
    """
    import gc

    text = (EXAMPLES_ARTICLE).read_text(encoding="utf-8")
    sents = sentences_with_tokens(text)
    ner_mentions(sents[:2])  # the model loaded outside the measured part
    gc.collect()
    gc.disable()
    try:
        mentions = ner_mentions(sents)
        tags = tag([[t.text for t in s.tokens] for s in sents])
        leftover = gc.collect()
    finally:
        gc.enable()
    assert mentions and any(t != "O" for row in tags for t in row)
    assert leftover <= 10, f"{leftover} objects in reference cycles after tagging"


def test_unknown_model_raises() -> None:
    with pytest.raises(NERModelUnavailable):
        tag([["x"]], model="no-such-model")


# ---------------------------------------------------------------------- scoring


def test_bio_spans_follow_seqeval_rules() -> None:
    # I- after O starts an entity; I- of another type starts a new one; E-/S- read as I-/B-.
    assert bio_spans(["O", "I-PER", "I-PER", "I-LOC", "O"]) == {("PER", 1, 3), ("LOC", 3, 4)}
    assert bio_spans(["B-ORG", "B-ORG", "I-ORG"]) == {("ORG", 0, 1), ("ORG", 1, 3)}
    assert bio_spans(["S-LOC", "B-PER", "E-PER"]) == {("LOC", 0, 1), ("PER", 1, 3)}


def test_scores_on_the_sample_by_hand() -> None:
    """Gold has 13 entities (LOC 7, ORG 3, PER 3); the prediction below was checked by hand:

    - misses عباس عراقجي (PER): 1 FN;
    - tags only غزة for قطاع غزة (LOC): 1 FP + 1 FN;
    - tags منظمة الصحة العالمية as LOC instead of ORG: 1 FP (LOC) + 1 FN (ORG);
    - adds الرئيس as PER: 1 FP.
    Correct 10 of 13 gold and of 13 predicted: P = R = F1 = 10/13.
    PER: 2 correct of 3 gold, 3 predicted; LOC: 6 of 7 gold, 8 predicted; ORG: 2 of 3, 2 predicted.
    """
    sents = read_conll(SAMPLE)
    gold = [[t for _, t in s] for s in sents]
    pred = [list(g) for g in gold]
    pred[0][1] = "B-PER"  # الرئيس
    pred[1][6], pred[1][7] = "O", "B-LOC"  # قطاع غزة -> غزة
    pred[2][9], pred[2][10] = "O", "O"  # عباس عراقجي missed
    pred[3][1:4] = ["B-LOC", "I-LOC", "I-LOC"]  # WHO as LOC
    res = span_scores(gold, pred)
    assert (res["support"], res["predicted"], res["correct"]) == (13, 13, 10)
    assert res["f1"] == pytest.approx(10 / 13)
    per, loc, org = (res["per_type"][k] for k in ("PER", "LOC", "ORG"))
    assert (per["precision"], per["recall"]) == pytest.approx((2 / 3, 2 / 3))
    assert (loc["precision"], loc["recall"]) == pytest.approx((6 / 8, 6 / 7))
    assert (org["precision"], org["recall"]) == pytest.approx((1.0, 2 / 3))
    assert span_scores(gold, gold)["f1"] == 1.0


def test_split_long_never_cuts_an_entity() -> None:
    sent = [("w", "O")] * 50 + [("a", "B-PER"), ("b", "I-PER"), ("c", "I-PER")] + [("w", "O")] * 50
    pieces = split_long(sent, 52)
    assert sum(map(len, pieces)) == len(sent)
    assert all(len(p) <= 52 for p in pieces)
    assert all(not p[0][1].startswith("I-") for p in pieces)


def test_cli_eval_on_the_sample() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    res = json.loads(result.output)
    # Gold counts of the sample, counted by hand.
    assert res["support"] == 13 and res["sentences"] == 5 and res["tokens"] == 59
    assert {k: v["support"] for k, v in res["per_type"].items() if v["support"]} == {
        "LOC": 7,
        "ORG": 3,
        "PER": 3,
    }
    # Internal consistency of the reported numbers.
    assert res["precision"] == pytest.approx(res["correct"] / res["predicted"])
    assert res["recall"] == pytest.approx(res["correct"] / 13)
    assert res["f1"] >= 0.6  # written to be easy: news names the training data knows
    table = CliRunner().invoke(app, ["eval", str(SAMPLE)])
    assert table.exit_code == 0 and "ALL (micro)" in table.output


@pytest.mark.slow
@pytest.mark.skipif(not ANERCORP_TEST.is_file(), reason="../shared (ANERcorp test split) is not present")
def test_quality_on_anercorp_test() -> None:
    from diplograph.extract.ner_training import evaluate

    res = evaluate(ANERCORP_TEST)
    assert res["support"] == 2285
    assert res["f1"] >= ANERCORP_F1_FLOOR, res


# ------------------------------------------------------------- official option


def _fake_official_download(shipped: dict[str, Path]):
    """A stand-in for the network: lays out files as ``stanza.download`` would."""

    def download(lang: str, model_dir: str, **kwargs: object) -> None:
        root = Path(model_dir)
        (root / lang / "ner").mkdir(parents=True, exist_ok=True)
        (root / lang / "pretrain").mkdir(parents=True, exist_ok=True)
        shutil.copy(shipped["ner"], root / lang / "ner" / "aqmar.pt")
        shutil.copy(shipped["pretrain"], root / lang / "pretrain" / "conll17.pt")
        resources = {
            lang: {
                "lang_name": "Arabic",
                "default_processors": {"tokenize": "padt", "ner": "aqmar"},
                "packages": {"default": {"tokenize": "padt", "ner": "aqmar"}},
                "tokenize": {"padt": {}},
                "ner": {"aqmar": {"dependencies": [{"model": "pretrain", "package": "conll17"}]}},
                "pretrain": {"conll17": {}},
            }
        }
        (root / "resources.json").write_text(json.dumps(resources), encoding="utf-8")

    return download


@pytest.fixture
def official_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DIPLOGRAPH_STANZA_DIR", str(tmp_path / "stanza"))
    ner._load_official.cache_clear()
    yield tmp_path / "stanza"
    ner._load_official.cache_clear()


def test_official_with_network_mocked(official_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stanza, "download", _fake_official_download(model_files("default")))
    tags = tag([["زار", "الوزير", "القاهرة", "."]], model="official")
    assert len(tags[0]) == 4
    assert (official_env / "resources.json").is_file()


def test_official_without_network_says_so(official_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    def offline(*args: object, **kwargs: object) -> None:
        raise requests.exceptions.ConnectionError("Failed to establish a new connection")

    monkeypatch.setattr(stanza, "download", offline)
    with pytest.raises(NERModelUnavailable, match="no network"):
        tag([["القاهرة"]], model="official")
    # Falls back to the shipped model only when told to.
    assert tag([["القاهرة"]], model="official", fallback=True) == tag([["القاهرة"]])
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--model", "official"])
    assert result.exit_code == 2


def test_build_with_official_offline_stops_or_falls_back_when_told(
    official_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`build --ner-model official` without network: one clear error and no store; --ner-fallback tags with ours."""
    import requests

    from diplograph.cli import app as main_app
    from diplograph.graph.store import KnowledgeStore

    def offline(*args: object, **kwargs: object) -> None:
        raise requests.exceptions.ConnectionError("Failed to establish a new connection")

    monkeypatch.setattr(stanza, "download", offline)
    article = Path(__file__).parents[1] / "examples" / "articles" / "doha_talks.txt"
    kg = tmp_path / "kg"
    build = ["build", str(article), "--store", str(kg), "--ner-model", "official", "-q"]
    result = CliRunner().invoke(main_app, build)
    assert result.exit_code == 1
    assert "could not download" in result.output and "--ner-fallback" in result.output
    assert not kg.exists()
    result = CliRunner().invoke(main_app, [*build, "--ner-fallback"])
    assert result.exit_code == 0, result.output
    assert "using the shipped model" in result.output
    store = KnowledgeStore(kg)
    try:
        models = {str(r[0]) for r in store.query("SELECT ?m WHERE { GRAPH ?g { ?a dg:nerModel ?m } }")}
    finally:
        store.close()
    assert models == {"default"}  # the manifest names the model that really tagged the article


def test_build_wordvec_writes_a_stanza_pretrain(tmp_path: Path) -> None:
    pytest.importorskip("gensim", reason="gensim is a training-only dependency")
    from stanza.models.common.pretrain import Pretrain

    from diplograph.extract.ner_training import build_wordvec

    sents = [["زار", "الوزير", "القاهرة"], ["استقبل", "الوزير", "نظيره"]] * 5
    n = build_wordvec(sents, tmp_path / "pretrain.pt", dim=8, epochs=1)
    assert n == 5
    pt = Pretrain(str(tmp_path / "pretrain.pt"))
    assert pt.emb.shape[1] == 8 and "القاهرة" in pt.vocab


def test_build_wordvec_keeps_every_training_word_then_the_most_frequent(tmp_path: Path) -> None:
    """With extra raw text the vectors hold all training words, then the commonest others up to the limit."""
    pytest.importorskip("gensim", reason="gensim is a training-only dependency")
    import lzma

    from stanza.models.common.pretrain import Pretrain

    from diplograph.extract.ner_training import build_wordvec, read_raw_tokens

    raw = tmp_path / "raw.txt.xz"
    with lzma.open(raw, "wt", encoding="utf-8") as fh:
        fh.write("وصل الوفد إلى الدوحة، وبحث الوفد التهدئة في غزة.\n" * 20 + "كلمة نادرة واحدة.\n")
    raw_sents = list(read_raw_tokens(raw))
    assert raw_sents[0][:4] == ["وصل", "الوفد", "إلى", "الدوحة"] and "،" in raw_sents[0]
    training = [["زار", "الوزير", "القاهرة"]]
    n = build_wordvec(training + raw_sents, tmp_path / "pretrain.pt", dim=8, epochs=1,
                      max_vocab=6, required={"زار", "الوزير", "القاهرة"})  # fmt: skip
    assert n == 6
    vocab = Pretrain(str(tmp_path / "pretrain.pt")).vocab
    assert {"زار", "الوزير", "القاهرة", "الوفد"} <= set(
        vocab._id2unit
    )  # the training words, then the commonest
    assert "نادرة" not in vocab


# ------------------------------------------------------------- training tools


def test_shrink_cuts_the_vectors_and_the_model_still_tags(tmp_path: Path) -> None:
    """`ner shrink` cuts pretrain.pt and the tagger's copy of its word list alike; the model still loads and tags."""
    import torch

    model = tmp_path / "small"
    shutil.copytree(model_files()["ner"].parent, model)
    before = len(
        torch.load(model / "pretrain.pt", map_location="cpu", weights_only=False)["vocab"]["_id2unit"]
    )
    result = CliRunner().invoke(app, ["shrink", str(model), "--words", "5000"])
    assert result.exit_code == 0, result.output
    data = torch.load(model / "pretrain.pt", map_location="cpu", weights_only=False)
    assert len(data["vocab"]["_id2unit"]) == 5004 < before and data["emb"].shape[0] == 5004
    assert json.loads((model / "settings.json").read_text(encoding="utf-8"))["pretrain_shrunk_to"] == 5000
    assert (model / "pretrain.pt").stat().st_size < (model_files()["pretrain"]).stat().st_size
    words = [
        "استقبل",
        "الرئيس",
        "المصري",
        "عبد",
        "الفتاح",
        "السيسي",
        "في",
        "القاهرة",
        "وزير",
        "الخارجية",
        "الأمريكي",
    ]
    tags = tag([words], model=str(model))[0]
    assert {t[2:] for t in tags if t != "O"} >= {"PER", "LOC"}


def test_train_then_resume_a_stopped_run(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A run trained by our script goes on from its best checkpoint into a new folder, both runs recorded."""
    from diplograph.extract.ner_training import TrainSettings, resume, train

    data = tmp_path / "data" / "anercorp"
    data.mkdir(parents=True)
    for split in ("train", "dev"):
        shutil.copyfile(SAMPLE, data / f"{split}.conll")
    pytest.importorskip("gensim", reason="gensim is a training-only dependency")
    raw = tmp_path / "saudinewsnet.txt"
    raw.write_text("وصل الوفد إلى الدوحة، وبحث الوفد التهدئة في غزة.\n" * 5, encoding="utf-8")
    first = tmp_path / "first"
    s = TrainSettings(
        data_dir=str(tmp_path / "data"), corpora=["anercorp"], out_dir=str(first), max_steps=4,
        eval_interval=2, batch_size=2, wordvec_dim=8, wordvec_epochs=1, vectors_text=[str(raw)],
        hidden_dim=16, char_hidden_dim=8,
    )  # fmt: skip
    train(s)
    notice = (first / "LICENSE_NOTICE.txt").read_text(encoding="utf-8")
    assert str(raw) in notice and "CC BY-NC-SA" in notice
    second = tmp_path / "second"
    result = CliRunner().invoke(app, ["resume", str(first), "--out", str(second), "--steps", "4"])
    assert result.exit_code == 0, result.output
    record = json.loads((second / "settings.json").read_text(encoding="utf-8"))
    assert record["status"] == "done" and record["resumed_from"]["dir"] == str(first)
    assert record["resumed_from"]["settings"]["max_steps"] == 4
    args = record["ner_tagger_args"]
    assert args[args.index("--finetune_load_name") + 1] == str(first / "ner.pt")
    assert args[args.index("--save_dir") + 1] == str(second)
    assert "Finetune is ON" in (second / "train.log").read_text(encoding="utf-8")
    assert (first / "ner.pt").is_file() and (second / "ner.pt").is_file()
    assert (second / "LICENSE_NOTICE.txt").read_text(encoding="utf-8") == notice
    with caplog.at_level(logging.WARNING, logger="diplograph.extract.ner"):
        assert len(tag([["زار", "القاهرة"]], model=str(second))[0]) == 2
    assert "CC BY-NC-SA" in caplog.text  # printed when the model loads
    with pytest.raises(ValueError, match="new folder"):
        resume(first, first, 4)
