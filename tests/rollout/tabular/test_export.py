"""Files we write: formula escaping, and a one-line refusal naming a path we cannot write."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollout.tabular.export import OutputError, csv_text, write_atomically


def test_csv_text_escapes_formulas_for_excel() -> None:
    assert csv_text(["a", "b"], [["=SUM(A1)", None], ["ok", 3]]) == "a;b\r\n'=SUM(A1);\r\nok;3\r\n"


def test_write_atomically_leaves_only_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.csv"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in folder.iterdir()] == ["x.csv"]


def test_missing_folder_and_folder_as_file_are_refused_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no folder"):
        write_atomically(tmp_path / "no" / "such" / "x.csv", b"")
    with pytest.raises(OutputError, match="it is a folder"):
        write_atomically(tmp_path, b"")
