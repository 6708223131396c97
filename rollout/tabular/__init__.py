"""Tabular import and export for every package: read (files, headers), cells (parsers), bulk (diff and write), export (CSV)."""
