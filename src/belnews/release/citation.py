"""Release metadata in one place, and the citation files generated from it.

The dataset card header, ``CITATION.cff``, ``croissant.json`` and ``belnews cite`` all read
the constants below (and the build's manifest for checksums and counts), so they cannot
disagree. The corpus version is ``belnews.__version__``; SemVer with the meaning Croissant
and TFDS give it: PATCH = the same records re-serialized, MINOR = records or annotations
added, MAJOR = records or labels changed or removed.
"""

from __future__ import annotations

from typing import Any

from belnews import __version__

TITLE = "belnews: an annotated English news corpus on the 2020 Belarus protests"
SHORT_NAME = "belnews"
DESCRIPTION = (
    "English news reports on the 2020 Belarus post-election protests, normalized with a "
    "reversible offset map and annotated by hand for quotations (direct, indirect, mixed and "
    "partial, with cue, source, speaker, addressee, channel and a translation flag), numeric "
    "figures (value, range, comparator, unit, claimant, as-of date) and named entities "
    "(OntoNotes labels, coreference clusters, Wikidata links). Offsets are Unicode code "
    "points into NFC text."
)
AUTHORS = [{"name": "belnews maintainers"}]
KEYWORDS = [
    "news",
    "quotation attribution",
    "named entities",
    "coreference",
    "numbers",
    "Belarus",
    "protests",
    "corpus",
]
RELEASE_DATE = "2026-12-05"
#: SPDX identifiers: the code, and the annotations and metadata. The article texts are not
#: licensed by us at all (see LICENSE-DATA.md and each record's metadata.text_rights).
LICENSES = {"code": "Apache-2.0", "annotations": "CC-BY-4.0"}
LICENSE_URLS = {
    "Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
}
#: No public address exists yet; fields that need one are left out rather than invented.
REPOSITORY_URL: str | None = None
CITATION_KEY = f"belnews_{__version__.replace('.', '_')}"

#: Responsible-AI statements (Croissant RAI vocabulary), also summarized in DATASHEET.md.
RAI = {
    "dataCollection": (
        "Two English news articles about the 2020 Belarus protests were collected as plain "
        "text (seed files); their original URLs were not recorded."
    ),
    "dataCollectionType": "Manual selection of published news articles.",
    "dataCollectionRawData": (
        "The byte-exact source files are kept in corpus/raw/ and every record stores their "
        "SHA-256 and a map from each character of its text back to them."
    ),
    "dataCollectionTimeFrame": ["2020-08-14", "2020-11-02"],  # earliest/latest publication
    "dataCollectionMissingData": (
        "Headlines, URLs and the publisher of one article were not in the source files and "
        "are left empty; inferred metadata is marked as inferred with its evidence."
    ),
    "dataImputationProtocol": "None: nothing is imputed; unknown metadata stays null.",
    "dataManipulationProtocol": (
        "The raw files are never edited; every change normalization makes is recorded "
        "(removed segments with their rules, and the offset map back to the raw text)."
    ),
    "dataPreprocessingProtocol": (
        "Unicode NFC, LF line ends, odd spaces to plain spaces, bullets to summary sections, "
        "and removal of boilerplate (related-article links, homepage promos, footers, image "
        "credits) by named rules, each removal listed with its raw offsets."
    ),
    "dataAnnotationProtocol": (
        "Manual annotation following ANNOTATION.md (quotes, figures, entities), authored as "
        "word anchors resolved to offsets by code and read span by span against the text."
    ),
    "dataAnnotationPlatform": "Plain-text TOML files and the `belnews show` review view.",
    "dataAnnotationAnalysis": (
        "Two independent annotations of every article (the second blind), scored against "
        "each other with belnews evaluate before adjudication; the table is in DATASHEET.md."
    ),
    "annotationsPerItem": "Two independent annotations per article, adjudicated into one gold.",
    "annotatorDemographics": "The project's maintainers; no demographic data collected.",
    "machineAnnotationTools": (
        "None in the gold: all annotations are manual (status gold or adjudicated)."
    ),
    "dataUseCases": (
        "Training and evaluating quotation attribution, speaker linking, numeric "
        "normalization and named-entity recognition on news text; testing annotation tools."
    ),
    "dataBiases": (
        "Two articles from English-language outlets about one event: the voices quoted are "
        "those the outlets chose (officials, Western governments, rights groups, detainees); "
        "most Belarusian speech is translated."
    ),
    "dataLimitations": (
        "Far too small to train models alone or to estimate performance reliably; no "
        "train/test split; one annotator."
    ),
    "dataSocialImpact": (
        "Quotes name public officials and anonymous detainees describing abuse; the corpus "
        "does not add personal data beyond what the publishers printed."
    ),
    "personalSensitiveInformation": (
        "Names of public figures and reports of detention and torture, as published; no "
        "private individuals are named."
    ),
    "dataReleaseMaintenancePlan": (
        "Versioned releases with a changelog; corrections through issues (see "
        "CONTRIBUTING.md); record and annotation ids stay stable across versions."
    ),
}


def bibtex() -> str:
    """The BibTeX entry for this version of the corpus."""
    authors = " and ".join("{" + a["name"] + "}" for a in AUTHORS)
    return (
        f"@misc{{{CITATION_KEY},\n"
        f"  title = {{{{{TITLE}}}}},\n"
        f"  author = {{{authors}}},\n"
        f"  year = {{{RELEASE_DATE[:4]}}},\n"
        f"  version = {{{__version__}}},\n"
        f"  note = {{Corpus version {__version__}, released {RELEASE_DATE}. Annotations "
        f"{LICENSES['annotations']}; code {LICENSES['code']}}}\n"
        "}\n"
    )


def citation_cff() -> str:
    """CITATION.cff (CFF 1.2.0, type dataset) for this version."""
    import yaml

    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this corpus, please cite it as below, with its version.",
        "type": "dataset",
        "title": TITLE,
        "abstract": DESCRIPTION,
        "authors": AUTHORS,
        "version": __version__,
        "date-released": RELEASE_DATE,
        "license": [LICENSES["code"], LICENSES["annotations"]],
        "keywords": KEYWORDS,
    }
    if REPOSITORY_URL:
        data["repository-code"] = REPOSITORY_URL
    header = (
        "# Generated by `belnews build` from src/belnews/release.py; do not edit.\n"
        "# No repository URL yet: it is added once the corpus has a public address.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- Croissant -----------------------------------------------------------------------------

#: The JSON-LD @context of Croissant 1.1 (the vocabulary mlcroissant treats as standard).
CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_DATA_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "bool": "sc:Boolean"}
#: What the Croissant 1.1 spec requires at dataset level (the validator only warns on some).
CROISSANT_REQUIRED = (
    "@context",
    "@type",
    "conformsTo",
    "name",
    "description",
    "license",
    "url",
    "creator",
    "datePublished",
    "distribution",
)


def _fields(kind: Any, file_id: str, column: str, prefix: str, path: str) -> dict[str, Any]:
    """A Croissant field (with subFields for structs, isArray for lists) for a shape."""
    name = prefix.rsplit("/", 1)[-1]
    source: dict[str, Any] = {"fileSet": {"@id": file_id}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": path}
    field: dict[str, Any] = {"@type": "cr:Field", "@id": prefix, "name": name, "source": source}
    if isinstance(kind, tuple) and kind[0] == "list":
        field["isArray"] = True
        kind = kind[1]
    if isinstance(kind, tuple) and kind[0] == "list":  # a list of lists: the offset map rows
        field["dataType"] = "sc:Integer"
        field["arrayShape"] = "-1,4"
        return field
    if isinstance(kind, tuple):  # a struct
        field["subField"] = [
            _fields(k, file_id, column, f"{prefix}/{n}", f"{path}.{n}" if path else n)
            for n, k, _ in kind[1]
        ]
    else:
        field["dataType"] = _DATA_TYPES[kind]
    return field


def croissant(manifest: dict[str, Any]) -> dict[str, Any]:
    """croissant.json (Croissant 1.1 with RAI fields) for a built release."""
    from belnews.release.shards import CONFIG_DIRS
    from belnews.release.spans import SPAN_COLUMNS
    from belnews.schema.arrow import record_shape

    descriptions = {
        "default": "One row per article, with nested annotation layers.",
        "spans": "One row per annotated span (flat).",
    }
    distribution: list[dict[str, Any]] = [
        {
            "@type": "cr:FileObject",
            "@id": f["path"],
            "name": f["path"].replace("/", "-"),
            "description": f"A shard of the {f['config']!r} config ({f['rows']} rows).",
            "contentUrl": f"data/{f['path']}",
            "encodingFormat": "application/x-parquet",
            "sha256": f["sha256"],
            "contentSize": f"{f['bytes']} B",
        }
        for f in manifest["files"]
    ]
    distribution += [
        {
            "@type": "cr:FileSet",
            "@id": f"{config}-parquet",
            "name": f"{config}-parquet",
            "description": f"{descriptions[config]} Every shard of the config.",
            "encodingFormat": "application/x-parquet",
            "includes": f"data/{folder}/train-*.parquet",
        }
        for config, folder in CONFIG_DIRS.items()
    ]
    articles = [
        _fields(kind, "default-parquet", name, f"articles/{name}", "")
        for name, kind, _ in record_shape()[0][1]
    ]
    spans = [
        {
            "@type": "cr:Field",
            "@id": f"spans/{name}",
            "name": name,
            "description": desc,
            "dataType": _DATA_TYPES[kind],
            "source": {"fileSet": {"@id": "spans-parquet"}, "extract": {"column": name}},
        }
        for name, kind, desc in SPAN_COLUMNS
    ]
    doc: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": SHORT_NAME,
        "alternateName": TITLE,
        "description": DESCRIPTION,
        "license": [LICENSE_URLS[LICENSES["annotations"]], LICENSE_URLS[LICENSES["code"]]],
        "creator": [{"@type": "sc:Organization", "name": a["name"]} for a in AUTHORS],
        "datePublished": RELEASE_DATE,
        "version": __version__,
        "keywords": KEYWORDS,
        "inLanguage": "en",
        "citeAs": bibtex(),
        "isLiveDataset": False,
        "distribution": distribution,
        "recordSet": [
            {
                "@type": "cr:RecordSet",
                "@id": "articles",
                "name": "articles",
                "description": "Articles with their quotes, figures, entities and clusters.",
                "key": {"@id": "articles/id"},
                "field": articles,
            },
            {
                "@type": "cr:RecordSet",
                "@id": "spans",
                "name": "spans",
                "description": "Every annotated span as a flat row.",
                "field": spans,
            },
        ],
        **{f"rai:{key}": value for key, value in RAI.items()},
    }
    if REPOSITORY_URL:
        doc["url"] = REPOSITORY_URL
    return doc


def missing_croissant_fields(doc: dict[str, Any]) -> list[str]:
    """Dataset-level fields the Croissant 1.1 spec requires that a document lacks."""
    return [key for key in CROISSANT_REQUIRED if key not in doc]


def annotation_ids(records: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """The ids a release promises to keep: per record, its quote, figure and cluster ids."""
    return {
        r["id"]: {
            layer: sorted(item["id"] for item in r[layer])
            for layer in ("quotes", "figures", "clusters")
        }
        for r in sorted(records, key=lambda r: r["id"])
    }
