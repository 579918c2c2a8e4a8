"""Drafting a plan file from a plan document (.txt, .md, .docx): pure, Prefect-free."""
