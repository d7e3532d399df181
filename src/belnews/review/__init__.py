"""Views for people: the terminal rendering of a record and the summaries (:mod:`.show`)."""
