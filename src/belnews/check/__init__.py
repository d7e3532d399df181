"""Stage 2, the gate: is a record (or a file of them) sound?

- :mod:`.readers` turn files and stdin into units of records (JSON, JSONL, Parquet);
- :mod:`.conformance` checks a record against the JSON Schema, :mod:`.rules` holds the semantic
  rules (each in its exact and its columnar form), :mod:`.provenance` compares with the raw file;
- :mod:`.screen` runs the columnar forms over Arrow batches so clean rows skip the exact path;
- :mod:`.scheduler` runs the work in order (in processes or another engine);
- :mod:`.validate` ties them together and :mod:`.report` renders the result.
"""
