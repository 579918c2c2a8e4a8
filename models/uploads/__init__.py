"""Files a unit sends with a submission: which formats are kept (told by their content, never
by their name), how large, under which name they are shown; pure rules, no disk and no SQL
(the content store is models/files/content_store.py, the rows models/storage/uploads.py)."""
