"""A citable release: CITATION.cff, croissant.json, DATASHEET, licences, versions, stable ids."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import belnews
from belnews.cli import cli
from belnews.release.build import build
from belnews.release.citation import (
    LICENSE_URLS,
    LICENSES,
    RAI,
    annotation_ids,
    bibtex,
    citation_cff,
    croissant,
    missing_croissant_fields,
)
from belnews.release.stats import BEGIN, END, compute, to_markdown
from conftest import ALL_SPAN_ROWS, CORPUS, ROOT

MANIFEST = json.loads((ROOT / "data" / "MANIFEST.json").read_text())
FRONT_FILES = ("README.md", "CITATION.cff", "croissant.json", "DATASHEET.md")


class _KeepDates(yaml.SafeLoader):
    """Read dates as text, as the CFF tools do."""


_KeepDates.add_constructor("tag:yaml.org,2002:timestamp", _KeepDates.construct_yaml_str)


def cff() -> dict:
    return yaml.load((ROOT / "CITATION.cff").read_text(encoding="utf-8"), Loader=_KeepDates)


def test_front_files_are_exactly_what_the_build_generates(tmp_path):
    for name in ("README.md", "DATASHEET.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    built = build(CORPUS, tmp_path / "data", root=tmp_path)
    same_writer = built.manifest["writer"] == json.loads(
        (ROOT / "data" / "MANIFEST.json").read_text(encoding="utf-8")
    )["writer"]

    def comparable(text: str) -> str:
        if same_writer:
            return text
        # another pyarrow writes other Parquet bytes: leave out what depends on them
        return re.sub(r".*(\"sha256\"|\"contentSize\"|download_size:).*\n", "", text)

    for name in FRONT_FILES:
        assert comparable((tmp_path / name).read_text(encoding="utf-8")) == comparable(
            (ROOT / name).read_text(encoding="utf-8")
        ), f"{name} is stale: run `belnews build`"


# --- CITATION.cff ------------------------------------------------------------------------


def _cff_schema() -> dict:
    """The CFF 1.2.0 JSON Schema, from the cffconvert wheel the test command unpacks."""
    path = Path(sys.prefix) / "cff" / "cffconvert" / "schemas" / "1.2.0" / "schema.json"
    if not path.exists():
        pytest.skip(f"{path} missing: run the README's test command, which installs it")
    return json.loads(path.read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0():
    from jsonschema import Draft7Validator

    validator = Draft7Validator(_cff_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff())] == []
    broken = {**cff(), "type": "corpus", "date-released": "22 Nov 2026"}
    assert sorted(e.validator for e in validator.iter_errors(broken)) == [
        "enum",
        "format",
        "pattern",
    ]


def test_citation_cff_says_what_a_dataset_citation_needs():
    data = cff()
    assert data["cff-version"] == "1.2.0"
    assert data["type"] == "dataset"
    assert data["version"] == belnews.__version__
    assert data["date-released"] == "2026-12-05"
    assert data["license"] == ["Apache-2.0", "CC-BY-4.0"]
    assert data["authors"] == [{"name": "belnews maintainers"}]
    assert "quotation attribution" in data["keywords"]
    assert "repository-code" not in data  # no public address yet; never invented
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff()


def test_cite_prints_bibtex_and_cff():
    runner = CliRunner()
    out = runner.invoke(cli, ["cite"]).stdout
    assert out == bibtex()
    assert out.startswith("@misc{belnews_0_2_0,\n")
    assert f"version = {{{belnews.__version__}}}" in out
    assert runner.invoke(cli, ["cite", "--format", "cff"]).stdout == citation_cff()


# --- Croissant ---------------------------------------------------------------------------


def croissant_doc() -> dict:
    return json.loads((ROOT / "croissant.json").read_text(encoding="utf-8"))


def test_croissant_passes_mlcroissant_validation(caplog):
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=ROOT / "croissant.json")
    assert dataset.metadata.ctx.issues.errors == set()
    assert dataset.metadata.ctx.issues.warnings == set()
    assert "not standard" not in caplog.text


def test_croissant_records_can_be_read_by_mlcroissant():
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=ROOT / "croissant.json")
    spans = list(dataset.records("spans"))
    assert len(spans) == ALL_SPAN_ROWS
    assert spans[0]["spans/text"] == (
        b"Representatives of the United States and the United Kingdom at the UN Human Rights "
        b"Council's Universal Periodic Review (UPR) of Belarus' human rights record"
    )


def test_croissant_has_every_field_the_spec_requires_but_the_url():
    doc = croissant_doc()
    # The validator only warns about these; the spec requires them. `url` is the one gap:
    # there is no public address yet, and a URL is never invented.
    assert missing_croissant_fields(doc) == ["url"]
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert doc["version"] == belnews.__version__
    assert doc["citeAs"] == bibtex()
    rai_fields = [
        "dataCollection",
        "dataCollectionType",
        "dataCollectionMissingData",
        "dataCollectionRawData",
        "dataCollectionTimeFrame",
        "dataImputationProtocol",
        "dataPreprocessingProtocol",
        "dataManipulationProtocol",
        "dataAnnotationProtocol",
        "dataAnnotationPlatform",
        "dataAnnotationAnalysis",
        "annotationsPerItem",
        "annotatorDemographics",
        "machineAnnotationTools",
        "dataUseCases",
        "dataBiases",
        "dataLimitations",
        "dataSocialImpact",
        "personalSensitiveInformation",
        "dataReleaseMaintenancePlan",
    ]
    assert set(RAI) == set(rai_fields)  # every field of the Croissant RAI vocabulary
    assert {f"rai:{k}" for k in rai_fields} <= set(doc)


def test_croissant_lists_the_files_with_their_checksums():
    doc = croissant_doc()
    files = {f["path"]: f for f in MANIFEST["files"]}
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert [d["contentUrl"] for d in objects] == [f"data/{p}" for p in files]
    for entry in objects:
        assert entry["sha256"] == files[entry["contentUrl"][5:]]["sha256"]
    sets = {d["@id"]: d["includes"] for d in doc["distribution"] if d["@type"] == "cr:FileSet"}
    assert sets == {
        "default-parquet": "data/articles/train-*.parquet",
        "spans-parquet": "data/spans/train-*.parquet",
    }


def test_croissant_describes_the_nested_span_fields():
    doc = croissant_doc()
    fields = {f["name"]: f for f in doc["recordSet"][0]["field"]}
    quotes = fields["quotes"]
    assert quotes["isArray"] is True
    content = next(f for f in quotes["subField"] if f["name"] == "content")
    assert content["isArray"] is True
    assert [(f["name"], f["dataType"]) for f in content["subField"]] == [
        ("start", "sc:Integer"),
        ("end", "sc:Integer"),
        ("text", "sc:Text"),
    ]
    assert content["subField"][0]["source"]["transform"] == {"jsonPath": "content.start"}
    assert doc == croissant(MANIFEST)


# --- licences ----------------------------------------------------------------------------


def test_licences_agree_everywhere(records):
    assert LICENSES == {"code": "Apache-2.0", "annotations": "CC-BY-4.0"}
    assert "Apache-2.0" in (ROOT / "LICENSE").read_text()
    assert "CC-BY-4.0" in (ROOT / "LICENSE-ANNOTATIONS").read_text()
    data_terms = (ROOT / "LICENSE-DATA.md").read_text()
    assert "Apache-2.0" in data_terms and "CC-BY-4.0" in data_terms
    card = yaml.safe_load((ROOT / "README.md").read_text().split("---\n")[1])
    assert (card["license"], card["license_link"]) == ("other", "LICENSE-DATA.md")
    assert cff()["license"] == [LICENSES["code"], LICENSES["annotations"]]
    assert croissant_doc()["license"] == [LICENSE_URLS["CC-BY-4.0"], LICENSE_URLS["Apache-2.0"]]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "Apache-2.0"' in pyproject
    for record in records.values():
        rights = record["metadata"]["text_rights"]
        assert "belnews claims no rights in it" in rights and "LICENSE-ANNOTATIONS" in rights


# --- version -----------------------------------------------------------------------------


def test_one_version_everywhere():
    version = belnews.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert MANIFEST["corpus_version"] == version
    assert cff()["version"] == version
    assert croissant_doc()["version"] == version
    assert f"| corpus version | {version} |" in (ROOT / "DATASHEET.md").read_text()
    assert f"## {version} - {cff()['date-released']}" in (ROOT / "CHANGELOG.md").read_text()
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text()


def _major(version: str) -> str:
    return version.split(".")[0]


def test_ids_of_this_release_are_pinned(records):
    pinned = json.loads((ROOT / "releases" / f"{belnews.__version__}.ids.json").read_text())
    assert pinned == annotation_ids(list(records.values()))


def test_ids_of_earlier_releases_still_exist(records):
    current = annotation_ids(list(records.values()))
    for path in sorted((ROOT / "releases").glob("*.ids.json")):
        version = path.name.removesuffix(".ids.json")
        if _major(version) != _major(belnews.__version__):
            continue  # a major version may change or remove ids (CHANGELOG says which)
        for rid, layers in json.loads(path.read_text()).items():
            assert rid in current, f"record {rid} of release {version} is gone"
            for layer, ids in layers.items():
                assert set(ids) <= set(current[rid][layer]), (version, rid, layer)


# --- DATASHEET ---------------------------------------------------------------------------


def test_datasheet_statistics_are_generated_and_fresh(records):
    text = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    block = text.split(BEGIN)[1].split(END)[0]
    assert block == "\n" + to_markdown(compute(records[k] for k in sorted(records)))
    assert "| clusters linked to Wikidata | 13 |" in block


def test_datasheet_answers_the_seven_sections_and_the_data_statement():
    text = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    for heading in (
        "## 1. Motivation",
        "## 2. Composition",
        "## 3. Collection process",
        "## 4. Preprocessing, cleaning, labelling",
        "## 5. Uses",
        "## 6. Distribution",
        "## 7. Maintenance",
        "### Data statement",
    ):
        assert heading in text
    questions = re.findall(r"^- \*\*(.+?)\*\*", text, re.M)
    assert len(questions) >= 40


def test_stats_command_formats():
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["stats", "--format", "json"]).stdout)
    assert (data["articles"], data["quotes"]["total"], data["figures"]["total"]) == (2, 53, 38)
    assert data["entities"]["names_by_label"] == {
        "EVENT": 3,
        "FAC": 1,
        "GPE": 21,
        "NORP": 5,
        "ORG": 17,
        "PERSON": 6,
    }
    markdown = runner.invoke(cli, ["stats", "--format", "markdown"]).stdout
    assert markdown.startswith("| measure | value |\n")
    text = runner.invoke(cli, ["stats"]).stdout
    assert "clusters linked to Wikidata" in text and "13" in text
