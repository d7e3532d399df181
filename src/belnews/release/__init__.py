"""Stage 3, validated records to a release: Arrow tables, Parquet files, manifest, statistics
and the citation files (card, CITATION.cff, Croissant).
"""
