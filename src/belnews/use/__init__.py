"""Stage 4, using a release: the loader (:mod:`.loader`), the typed records (:mod:`.model`) and
training helpers (:mod:`.training`).
"""
