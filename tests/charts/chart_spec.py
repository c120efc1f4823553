"""Reading chart specifications in the tests: data rows, layers, tooltips, and the rendered SVG."""

import json

import vl_convert as vlc

from vsm_widgets.units import Duration

SCRIPT = "<script>alert(1)</script>"
DROP = '"; DROP TABLE'
CONVENTIONS = {
    "unit": "days",
    "hours per day": "24",
    "calendar": "calendar time",
    "clock starts at": "first active step",
}


def days(n):
    return Duration.of(n, "days")


_SPECS = {}


def spec(chart):
    """The chart's Vega-Lite specification, validated once per chart (validation is the slow part)."""
    key = id(chart)
    if key not in _SPECS or _SPECS[key][0] is not chart:
        _SPECS[key] = (chart, chart.to_dict())
    return _SPECS[key][1]


def datasets(chart):
    """Every data row the specification carries, by dataset name (inline values included)."""
    found = dict(spec(chart).get("datasets", {}))

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "values" in data:
                found[f"inline-{len(found)}"] = data["values"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec(chart))
    return found


def data_rows(chart):
    return sum(len(rows) for rows in datasets(chart).values())


def rows_with(chart, **fields):
    """Data rows (from any dataset) whose fields equal the given values."""
    return [
        row
        for rows in datasets(chart).values()
        for row in rows
        if all(row.get(key) == value for key, value in fields.items())
    ]


def svg(chart):
    return vlc.vegalite_to_svg(spec(chart))


def layers(chart):
    """Every unit spec (mark and encoding) in a layered or concatenated chart."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "mark" in node:
                found.append(node)
            for key in ("layer", "vconcat", "hconcat", "concat"):
                for child in node.get(key, []):
                    walk(child)

    walk(spec(chart))
    return found


def tooltip_fields(chart):
    return {t["field"] for unit in layers(chart) for t in unit.get("encoding", {}).get("tooltip", []) if "field" in t}


def escaped_in_svg(text, image):
    """The user's text appears as text (escaped) and never as live markup."""
    variants = {text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
    variants.add(next(iter(variants)).replace('"', "&quot;"))
    return any(v in image for v in variants) and "<script>" not in image


def dump(chart):
    return json.dumps(spec(chart), ensure_ascii=False)
