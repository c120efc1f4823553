"""Where the test data is, resolved from this file so that the tests run from any working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
MAPS = SAMPLES / "maps"
NOTEBOOKS = ROOT / "notebooks"
TEST_DATA = ROOT / "tests" / "data"
EXPORTS = TEST_DATA / "exports"
BAD = TEST_DATA / "bad"
BAD_MAPS = TEST_DATA / "bad_maps"
BAD_SCENARIOS = TEST_DATA / "bad_scenarios"
FIXTURE_NOTEBOOKS = ROOT / "tests" / "notebooks"
DOCS = ROOT / "docs"
DEGENERATE = TEST_DATA / "degenerate"
