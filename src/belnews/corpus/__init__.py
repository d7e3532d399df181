"""Stage 1, raw text to record: normalization, word anchors, ingest, record files.

The way through this folder: ``raw/<id>.txt`` -> :mod:`.normalize` -> :mod:`.anchors`
(annotator words to offsets) -> :mod:`.ingest` (one record) -> :mod:`.records` (record
files) -> :mod:`.store` (the whole corpus folder).
"""
