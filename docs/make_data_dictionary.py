"""Write docs/data-dictionary.md from the pandera schemas (the single source of truth).

Run: ``.venv/bin/python docs/make_data_dictionary.py``. A test fails when the page is stale.
"""

from __future__ import annotations

from pathlib import Path

from atribu_pandas.core import vocabulary
from atribu_pandas.frames.schemas import data_dictionary, schema_for

PAGE = Path(__file__).with_name("data-dictionary.md")
INTRO = {
    "Campaigns": "`ap.load_campaigns(...)` without `level`: one row per campaign.",
    "CampaignDetails": "`ap.load_campaigns(..., level=...)`: the columns above plus these.",
    "CampaignTrend": "`ap.load_campaign_trend(...)`: one row per entity per day with delivery.",
    "TopPerformers": "`ap.load_top_performers(...)`: one row per ad (51 fields).",
    "ReasonCodes": "`ap.reason_codes(top)`: one row per reason code.",
    "AddedColumns": (
        "Not from the API: the columns atribu-pandas adds after validating an answer. Each "
        "description says which frames have it."
    ),
}


def render() -> str:
    """Return the page's Markdown."""
    table = data_dictionary()
    lines = [
        "# Data dictionary",
        "",
        "Every column of every frame the loaders return, generated from the pandera schemas in",
        "`atribu_pandas/schemas/` (the same objects that validate the data). Column names",
        "are the API's field names, unchanged. `ap.data_dictionary()` returns this as a frame.",
        "",
        "Model comparison frames (`ap.load_model_comparison`) are campaign frames plus a",
        "`model` column: an ordered categorical in `ap.MODELS` order.",
        "",
    ]
    lines += _vocabularies()
    for frame, rows in table.groupby("frame", sort=False):
        lines += [f"## {frame}", "", INTRO[str(frame)], ""]
        if str(frame) == "CampaignDetails":
            rows = rows[~rows["column"].isin(table.loc[table["frame"] == "Campaigns", "column"])]
        lines += [
            "| column | title | dtype | nulls | checks | description |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows.itertuples():
            nulls = "allowed" if row.nullable else "no"
            if not row.required:
                nulls += " (may be absent)"
            lines.append(
                f"| `{row.column}` | {row.title} | {row.dtype} | {nulls} | {row.checks} | "
                f"{row.description} |"
            )
        lines.append("")
    return "\n".join(lines)


def _vocabularies() -> list[str]:
    closed: dict[str, list[str]] = {}
    for frame in INTRO:
        for column, col in schema_for(frame).columns.items():
            categories = getattr(col.dtype.type, "categories", None)
            if categories is not None:
                closed.setdefault(", ".join(map(str, categories)), []).append(f"`{column}`")
    lines = [
        "## Vocabularies and new values",
        "",
        "Closed sets (documented by Atribu) are categoricals with exactly these categories:",
        "",
        "| columns | values |",
        "|---|---|",
    ]
    for values, columns in closed.items():
        lines.append(f"| {', '.join(dict.fromkeys(columns))} | {values} |")
    lines += [
        "",
        "Open sets are text, and any value loads: `status` (e.g. "
        + ", ".join(vocabulary.STATUS_EXAMPLES)
        + "), `objective` (the ad platform's own), `creative_format` and `cohort_format` (e.g. "
        + ", ".join(vocabulary.FORMAT_EXAMPLES)
        + "), `cohort_audience_warmth`, and reason codes' `layer`.",
        "",
        "When the API sends a value outside a closed set, it loads as an extra category and",
        "`ap.SchemaDriftWarning` names the field, the value and the request id; a field the",
        "API adds is kept as an extra column and named by the same warning; an optional",
        "field that is missing is an all-missing column of its dtype. A missing required",
        "field, or text where a number belongs, is an `ap.SchemaError`. Where each set comes",
        "from, and the policy in full: [the API reference](api-reference.md).",
        "",
    ]
    return lines


if __name__ == "__main__":
    PAGE.write_text(render())
    print(PAGE)
