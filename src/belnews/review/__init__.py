"""Views and measures for people reviewing annotations.

- :mod:`.show`: a record with its spans marked, and corpus summaries, as terminal text;
- :mod:`.html` / :mod:`.page`: the self-contained review page (``belnews review``);
- :mod:`.score` / :mod:`.match`: the scorer (``belnews evaluate``), also used for
  inter-annotator agreement; :mod:`.diff`: what a person changed in machine suggestions.

All of them work on plain record dicts, so they show and score any record that follows the
schema, whoever or whatever produced it.
"""
