"""The contract: the record's JSON Schema (:mod:`.record`) and its Arrow mirror (:mod:`.arrow`).

Every stage reads the schema from here; nothing else restates the record's shape.
"""
