"""The JSON report (version 1), for programs."""

from __future__ import annotations

import json

from proceedings.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
