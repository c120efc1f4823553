"""Generate the sample timing exports of vsm-widgets, seeded: the same bytes on every run.

Usage::

    python data/samples/generate.py [--out DIR]     # default: this folder

Writes three exports and their mappings (docs/samples.md lists every planted
property with its number; tests/test_samples.py checks them):

``payments_team.csv`` + ``payments_team.mapping.yaml``
    Jira-like status history of 350 items created from January 2026, exported
    on Friday 2026-07-03 17:30 Europe/Berlin (offsets +01:00 and +02:00 across
    the daylight-saving change of 2026-03-29). To Do -> In Progress -> Code
    Review -> Ready for QA -> In QA -> Awaiting Release -> Done. Most waiting
    sits in "Ready for QA" (the QA queue), so the handoff Code review -> QA
    holds the largest wait; releases go out daily at 14:00. 52 items are sent
    back from QA to In Progress once and 4 twice (56 reworked items, 17.8 % of
    the 315 finished ones); 31 finished items pass through "Blocked"; 35 items
    are unfinished in various statuses. Planted defects: 3 exact duplicate
    rows, 2 unparseable timestamps, 1 row with the status "Waiting for Vendor"
    that the mapping does not know.

``mobile_team.csv`` + ``mobile_team.mapping.yaml``
    The same workflow for 250 items on Europe/Lisbon time (+00:00 / +01:00).
    The team ships on a release train every second Tuesday at 11:00 with a
    cut-off on the Monday before, so most waiting sits in "Awaiting Release",
    after QA. 33 items are sent back once and 3 twice (36 reworked items, 16.0 %
    of 225 finished); 14 finished items pass through "Blocked"; 25 items are
    unfinished. Planted defects: 2 exact duplicate rows, 1 unparseable
    timestamp, 1 row with the unknown status "Needs Design".

``onboarding.csv`` (and ``onboarding.xlsx``, the same rows)
    Interval log of 150 new hires from offer signed to first productive day:
    HR paperwork then background check (an outside vendor), while account setup
    runs beside the paperwork; equipment provisioning starts only when the
    ordered hardware arrives (the longest wait: background check -> equipment
    provisioning); orientation on the next Monday. 6 hires are unfinished
    (an open visit without an end). Naive timestamps, Berlin wall-clock time.

Work happens on weekdays between 08:30 and 17:30 local time outside public
holidays; a few status changes (17 payments rows, 12 mobile rows) fall on a
Saturday.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from onboarding_log import onboarding
from status_history import MOBILE, PAYMENTS, mapping_yaml, status_history

HERE = Path(__file__).resolve().parent
SEED = 20260105


FIXED_ZIP_TIME = (2026, 7, 3, 17, 30, 0)


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as an XLSX workbook, with the save time openpyxl stamps in replaced by a fixed one."""
    buffer = io.BytesIO()
    # Date cells, as an HR system's export has them, rather than text.
    cells = frame.assign(start=pd.to_datetime(frame["start"]), end=pd.to_datetime(frame["end"].replace("", None)))
    cells.to_excel(buffer, index=False, sheet_name="onboarding", engine="openpyxl")
    fixed = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_ZIP_TIME)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def _write(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    partial.replace(path)


def generate(out: Path) -> list[Path]:
    """Write every sample into `out` and return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    written = []
    for team in (PAYMENTS, MOBILE):
        frame = status_history(team, rng)
        written.append(out / f"{team.name}.csv")
        _write(written[-1], frame.to_csv(index=False, lineterminator="\n").encode())
        written.append(out / f"{team.name}.mapping.yaml")
        _write(written[-1], mapping_yaml(team).encode())
    hires = onboarding(rng)
    written.append(out / "onboarding.csv")
    _write(written[-1], hires.to_csv(index=False, lineterminator="\n").encode())
    written.append(out / "onboarding.xlsx")
    _write(written[-1], xlsx_bytes(hires))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the sample timing exports (seeded, deterministic).")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: data/samples)")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path}  {path.stat().st_size / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
