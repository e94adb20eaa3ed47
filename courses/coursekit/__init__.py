"""Widgets toolkit for the academy's course notebooks (see courses/README.md)."""
