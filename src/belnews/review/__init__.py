"""Reviewing annotations: the scorer (``belnews evaluate``) and the review page.

The page is written by ``belnews review``.

Both work on plain record dicts (``json.load`` of a record file), so they score and show any
record that follows the schema, whoever or whatever produced it.
"""
