"""The storage edge: one run table for every part (runs.py), each part's own tables beside it."""
