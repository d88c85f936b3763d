"""Paths inside the build's output: every file the build writes is named through here.

A name that comes from the metadata (a PMLR key, a shortname, a supplementary file's
extension) becomes a file name; `output_path` refuses one that would leave the folder it is
written into, however it is spelt (`../`, an absolute path, a NUL, a symlink already there).
"""

from __future__ import annotations

import os
from pathlib import Path

from proceedings.pmlr_ids import safe_name


class OutputPathError(Exception):
    """A name that would be written outside the output folder; the message says which."""


def output_path(folder: Path, name: str) -> Path:
    """`folder / name`, checked to be a plain file name that stays in `folder` and is not a
    symlink already there (a build writes fresh files only)."""
    if not safe_name(name):
        raise OutputPathError(f"{name!r} cannot be a file name of the build")
    path = folder / name
    if os.path.islink(path):
        raise OutputPathError(f"{path} is a symlink; the build writes only its own files")
    if path.resolve(strict=False).parent != folder.resolve(strict=False):
        raise OutputPathError(f"{name!r} would be written outside {folder}")
    return path
