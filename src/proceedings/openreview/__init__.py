"""OpenReview export -> papers.yaml, without losing what the organizers edited by hand.

`import_openreview` is the Python API that the command line wraps: it reads an export of
submission notes (`read_notes`), keeps the accepted papers as papers.yaml entries
(`notes_to_papers`), merges them into the existing papers.yaml (`merge_papers`, which edits
the file in place, keeping what the organizers wrote: `roundtrip`) and writes papers.yaml and
its import record atomically.

Accepted papers
    A note is accepted when `content.venueid` equals the venue id (`ImportOptions.venue_id`).
    Without one, the venue id is the `venueid` of the export that does not end in
    `/Rejected_Submission`, `/Withdrawn_Submission`, `/Desk_Rejected_Submission` or
    `/Submission` (still under review); an export with several such venue ids stops the import
    (`VenueChoiceError`, listing each with its count) until one is chosen. A note with a venue
    label starting "Submitted to" is never accepted (API v1 gave rejected papers the venue's own
    id and that label). A note without `venueid` (older API v1 exports) is judged by its `venue`
    label alone: accepted unless the label starts "Submitted to" or names a withdrawal or a
    rejection.

Tracks
    The value of `track_field`, then the venue label, is looked up in `track_values`: first a
    key equal to the text (case-insensitive), then the longest key contained in the text. No
    match gives `default_track` and, when `track_field` is set, a warning.

Archival
    Without `archival_field` every paper is archival. With it, a paper is archival when the
    field is `true` or one of its values equals one of `archival_values`, compared
    case-insensitively with spaces normalised; exact, never as a substring, because
    "Non-archival" contains "archival". Empty `archival_values` means "yes", "true",
    "archival". A paper without the field is non-archival (publishing a paper whose authors
    did not choose is the mistake that cannot be undone), with a warning.

The import record
    `papers.yaml.imported.json`, next to papers.yaml, holds the entries exactly as the last
    import produced them, keyed by paper id. A value in papers.yaml that differs from the
    recorded one was edited by hand: re-imports keep it and report it. Values equal to the
    record take the new import. Without a record, every value that differs from OpenReview is
    kept. The format::

        {
          "about": "...",
          "version": 1,
          "venue_id": "ICLR.cc/2026/Workshop/ICBINB",
          "papers": {"7": {"id": "7", "title": "...", "authors": [...], ...}}
        }
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Each name is imported when first used: the command line names this package's light modules
# (options, errors) at every start, and only an import needs the rest.
_NAMES = {
    "read_notes": "export",
    "import_openreview": "files",
    "read_record": "files",
    "record_path": "files",
    "record_text": "files",
    "merge_papers": "merge",
    "notes_to_papers": "notes",
    **{
        name: "model"
        for name in (
            "DEFAULT_ARCHIVAL_VALUES",
            "DEFAULT_TRACK_VALUES",
            "FieldChange",
            "ImportOptions",
            "ImportResult",
            "MergeResult",
            "OpenReviewImportError",
            "PaperChange",
            "SkippedNote",
            "VenueChoiceError",
        )
    },
}

__all__ = [
    "DEFAULT_ARCHIVAL_VALUES",
    "DEFAULT_TRACK_VALUES",
    "FieldChange",
    "ImportOptions",
    "ImportResult",
    "MergeResult",
    "OpenReviewImportError",
    "PaperChange",
    "SkippedNote",
    "VenueChoiceError",
    "import_openreview",
    "merge_papers",
    "notes_to_papers",
    "read_notes",
    "read_record",
    "record_path",
    "record_text",
]

if TYPE_CHECKING:
    from proceedings.openreview.export import read_notes
    from proceedings.openreview.files import (
        import_openreview,
        read_record,
        record_path,
        record_text,
    )
    from proceedings.openreview.merge import merge_papers
    from proceedings.openreview.model import (
        DEFAULT_ARCHIVAL_VALUES,
        DEFAULT_TRACK_VALUES,
        FieldChange,
        ImportOptions,
        ImportResult,
        MergeResult,
        OpenReviewImportError,
        PaperChange,
        SkippedNote,
        VenueChoiceError,
    )
    from proceedings.openreview.notes import notes_to_papers


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'proceedings.openreview' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"proceedings.openreview.{_NAMES[name]}"), name)
    globals()[name] = value
    return value
