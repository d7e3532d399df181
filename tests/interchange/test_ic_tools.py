"""Each format proven with the real library (or an independent parser) that uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from belnews.interchange import export_records, import_file
from belnews.interchange.common import InterchangeError, MissingExtra, require
from belnews.interchange.units import TYPES, flatten

from .conftest import IDS, gold_record


def test_label_studio_sdk_validates_config_tasks_and_predictions(golds, tmp_path: Path) -> None:
    from label_studio_sdk.label_interface import LabelInterface

    export_records("labelstudio", golds, tmp_path)
    li = LabelInterface((tmp_path / "config.xml").read_text(encoding="utf-8"))
    li.validate()  # raises on an invalid config
    assert li.labels is not None
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["belnews_id"] for t in tasks] == list(IDS)
    for task in tasks:
        assert li.validate_task({"data": task["data"]})
        assert li.validate_prediction(task["predictions"][0], return_errors=True) == []
    # the check is real: an undeclared label is refused
    bad = json.loads(json.dumps(tasks[0]["predictions"][0]))
    bad["result"][0]["value"]["labels"] = ["NOT_A_LABEL"]
    assert li.validate_prediction(bad, return_errors=True) != []


def test_cassis_loads_what_we_write(golds, tmp_path: Path) -> None:
    import cassis

    gold = golds[1]
    export_records("inception", [gold], tmp_path)
    with (tmp_path / "TypeSystem.xml").open("rb") as handle:
        ts = cassis.load_typesystem(handle)
    with (tmp_path / f"{gold['id']}.xmi").open("rb") as handle:
        cas = cassis.load_cas_from_xmi(handle, typesystem=ts)
    assert cas.sofa_string == gold["text"]
    fragments = sum(len(q["content"]) for q in gold["quotes"])
    assert len(cas.select("webanno.custom.BelnewsQuote")) == fragments
    mentions = cas.select("webanno.custom.BelnewsMention")
    assert sorted((m.begin, m.end, m.label) for m in mentions) == sorted(
        (m["start"], m["end"], m["label"]) for m in gold["entities"]
    )
    q = next(fs for fs in cas.select("webanno.custom.BelnewsQuote") if fs.key == "q5")
    assert (q.cue.begin, q.cue.end) == (
        gold["quotes"][4]["cue"]["start"],
        gold["quotes"][4]["cue"]["end"],
    )


def test_we_load_what_cassis_writes(corpus: Path, tmp_path: Path) -> None:
    """A CAS built with cassis alone (as INCEpTION would hand it over) imports."""
    import cassis

    from belnews.interchange.inception import META, NS, type_system

    gold = gold_record(IDS[1])
    text = gold["text"]
    ts = type_system()
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text
    cas.add(ts.get_type(META)(begin=0, end=len(text), documentId=gold["id"]))
    start = text.index("Alexander Lukashenko")
    mention = ts.get_type(NS + "BelnewsMention")(
        begin=start, end=start + len("Alexander Lukashenko"), label="PERSON",
        mention_type="name", cluster="c1", cluster_name="Alexander Lukashenko",
        cluster_wikidata="Q6863",
    )  # fmt: skip
    cas.add(mention)
    (tmp_path / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
    cas.to_xmi(tmp_path / "doc.xmi")
    result = import_file("inception", tmp_path / "doc.xmi", corpus)
    (m,) = result.record["entities"]
    assert (m["start"], m["text"], m["label"], m["cluster"]) == (
        start, "Alexander Lukashenko", "PERSON", "c1",
    )  # fmt: skip
    assert result.record["clusters"][0]["wikidata"] == "Q6863"


def _brat_peek_reader():
    """brat-peek's reader module, loaded alone: its package __init__ also imports plotting
    libraries (seaborn) the reader does not use."""
    import importlib.util

    spec = importlib.util.find_spec("peek")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "ann_structure.py"
    module_spec = importlib.util.spec_from_file_location("brat_peek_ann_structure", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.AnnDocument


def test_an_independent_brat_parser_reads_our_standoff(golds, tmp_path: Path) -> None:
    AnnDocument = _brat_peek_reader()
    gold = golds[1]
    export_records("brat", [gold], tmp_path)
    doc = AnnDocument(str(tmp_path / f"{gold['id']}.ann"))
    units = flatten(gold)
    assert len(doc.anns["entities"]) == len(units)
    spans = sorted(
        (e.tag, tuple(tuple(int(x) for x in s) for s in e.span)) for e in doc.anns["entities"]
    )
    assert spans == sorted((u.type, tuple(u.spans)) for u in units)
    assert len(doc.anns["relations"]) == sum(len(u.links) for u in units)
    kinds = {a.arguments[1] for a in doc.anns["attributes"] if a.tag == "quote_kind"}
    assert kinds == {q["kind"] for q in gold["quotes"]}
    notes = [json.loads(n.note) for n in doc.anns["notes"]]
    assert {n["id"] for n in notes if "id" in n} == {q["id"] for q in gold["quotes"]} | {
        f["id"] for f in gold["figures"]
    }
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert all(f"\n{t}\n" in conf for t in TYPES)


def test_spacy_loads_the_docbin_and_the_spans_are_ours(golds, tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    reports = export_records("spacy", golds, tmp_path)
    docs = list(DocBin().from_disk(tmp_path / "belnews.spacy").get_docs(spacy.blank("en").vocab))
    for doc, gold, loss in zip(docs, golds, reports, strict=True):
        assert doc.text == gold["text"] and doc.user_data["belnews_id"] == gold["id"]
        names = [m for m in gold["entities"] if m["mention_type"] == "name"]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (m["start"], m["end"], m["label"]) for m in names
        ]
        assert sorted(
            (s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans["mentions"]
        ) == sorted((m["start"], m["end"], m["label"], m["id"]) for m in gold["entities"])
        quotes = sorted((s.start_char, s.end_char, s.id_) for s in doc.spans["quotes"])
        assert quotes == sorted(
            (f["start"], f["end"], q["id"]) for q in gold["quotes"] for f in q["content"]
        )
        figs = doc.spans["figures"]
        assert [a["attrs"].get("value") for a in figs.attrs["belnews"]] == [
            f["value"] for f in gold["figures"]
        ]
        others = len(gold["entities"]) - len(names)
        assert (
            loss.dropped["doc.ents: nominal and pronoun mentions (kept in the mentions group)"]
            == others
        )


def test_seqeval_reads_the_conll_tags_and_names_round_trip(corpus: Path, tmp_path: Path) -> None:
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2

    gold = gold_record(IDS[1])
    (loss,) = export_records("conll", [gold], tmp_path)
    lines = (tmp_path / f"{gold['id']}.conll").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- -X- O"
    tags = [line.split()[-1] for line in lines[1:] if line]
    names = [m for m in gold["entities"] if m["mention_type"] == "name"]
    assert [label for label, _s, _e in get_entities(tags)] == [m["label"] for m in names]
    assert f1_score([tags], [tags], mode="strict", scheme=IOB2) == 1.0
    assert loss.dropped["quotes"] == len(gold["quotes"])
    result = import_file("conll", tmp_path / f"{gold['id']}.conll", corpus)
    assert [(m["start"], m["end"], m["text"], m["label"]) for m in result.record["entities"]] == [
        (m["start"], m["end"], m["text"], m["label"]) for m in names
    ]


def test_conll_names_snapped_to_tokens_are_reported(corpus: Path, tmp_path: Path) -> None:
    import re

    from belnews.interchange import conll

    gold = gold_record(IDS[0])  # «UN Human Rights Council's»
    (loss,) = export_records("conll", [gold], tmp_path / "default")
    assert loss.approximated.get("entities (names whose edges fall inside a token)", 0) == 0
    # a tokenizer that keeps the possessive on the word: the name ends inside a token

    def whitespace(text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]

    loss = conll.export(gold, tmp_path, tokenizer=whitespace)
    assert loss.approximated["entities (names whose edges fall inside a token)"] >= 1
    result = import_file("conll", tmp_path / f"{gold['id']}.conll", corpus)
    texts = [m["text"] for m in result.record["entities"]]
    assert "UN Human Rights Council's" in texts


def test_hugging_face_dataset_from_a_trained_fast_tokenizer(golds, tmp_path: Path) -> None:
    import datasets
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator([g["text"] for g in golds], trainers.WordPieceTrainer(vocab_size=300))
    reports = export_records("hf", golds, tmp_path, tokenizer=tok)
    ds = datasets.load_from_disk(str(tmp_path / "hf"))
    names = ds.features["ner_tags"].feature.names
    assert names[0] == "O" and "B-PERSON" in names
    for row, gold, loss in zip(ds, golds, reports, strict=True):
        assert "entities (names whose edges fall inside a token)" not in loss.approximated
        assert row["tokens"] == [gold["text"][s:e] for s, e in row["offsets"]]
        tags = [names[i] for i in row["ner_tags"]]
        for m in (m for m in gold["entities"] if m["mention_type"] == "name"):
            inside = [
                i for i, (s, e) in enumerate(row["offsets"]) if s < m["end"] and e > m["start"]
            ]
            assert (
                row["offsets"][inside[0]][0] == m["start"]
                and row["offsets"][inside[-1]][1] == m["end"]
            )
            assert tags[inside[0]] == f"B-{m['label']}"
            assert all(tags[i] == f"I-{m['label']}" for i in inside[1:])


def test_w3c_selectors_relocate_a_moved_span(corpus: Path, tmp_path: Path) -> None:
    gold = gold_record(IDS[1])
    export_records("w3c", [gold], tmp_path)
    path = tmp_path / f"{gold['id']}.jsonld"
    page = json.loads(path.read_text(encoding="utf-8"))
    page["items"][0]["target"][0]["selector"][0]["start"] += 3  # position now wrong
    path.write_text(json.dumps(page), encoding="utf-8")
    result = import_file("w3c", path, corpus)
    assert result.record["quotes"][0]["content"] == gold["quotes"][0]["content"]
    assert result.loss.approximated["spans re-anchored by their TextQuoteSelector"] == 1


def test_xml_unsafe_characters_are_counted(tmp_path: Path) -> None:
    gold = gold_record(IDS[1])
    gold["quotes"][0]["note"] = "bell\x07"
    (loss,) = export_records("inception", [gold], tmp_path)
    assert loss.approximated["note (characters XML cannot hold, replaced by U+FFFD)"] == 1


def test_missing_library_is_one_line_with_the_install_command() -> None:
    with pytest.raises(MissingExtra) as info:
        require("belnews_no_such_library", "spacy")
    assert (
        str(info.value) == "belnews_no_such_library is not installed: pip install 'belnews[spacy]'"
    )


def test_malformed_brat_line_names_file_and_line(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{IDS[1]}.ann"
    path.write_text("T1\tQuote 0 7\tBelarus\nT2\tNoSuchType 0 7\tBelarus\n", encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"\.ann:2: T2: unknown type 'NoSuchType'"):
        import_file("brat", path, corpus)


def test_foreign_label_studio_label_is_named(corpus: Path, tmp_path: Path) -> None:
    text = gold_record(IDS[1])["text"]
    task = {"data": {"text": text, "belnews_id": IDS[1]}, "annotations": [{"result": [
        {"id": "x", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 7, "labels": ["Animal"]}}]}]}  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(InterchangeError, match="unknown annotation type 'Animal'"):
        import_file("labelstudio", path, corpus)


def test_iob2_continuation_without_begin_is_an_error(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{IDS[1]}.conll"
    path.write_text("Belarus -X- -X- I-GPE\n", encoding="utf-8")
    with pytest.raises(InterchangeError, match=r":1: I-GPE does not continue a GPE entity"):
        import_file("conll", path, corpus)
