import re

from nbconvert.filters.markdown_mistune import markdown2html_mistune

from tests.paths import MAPS
from vsm_widgets.io.map_file import load_map
from vsm_widgets.io.map_text import format_duration, format_ratio, markdown_text, mermaid_text, to_markdown, to_mermaid
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.readout.map_report import format_summary
from vsm_widgets.units import Duration

SCRIPT = "<script>alert(1)</script>"
INJECTION = '"; DROP TABLE'


def test_mermaid_of_the_four_functions_follows_the_seed_article():
    # the first seed article draws: M["<b>Marketing</b><br/>5 days"] -->|"handoff<br/>3 days"| S[...]
    assert to_mermaid(load_map(MAPS / "four_functions.yaml")) == (
        "flowchart LR\n"
        '  supplier(["Customer request"])\n'
        '  step1["<b>Marketing</b><br/>5 days"]\n'
        '  step2["<b>Sales</b><br/>8 days"]\n'
        '  step3["<b>Ops</b><br/>12 days"]\n'
        '  step4["<b>Delivery</b><br/>4 days"]\n'
        '  customer(["Customer"])\n'
        "  supplier --> step1\n"
        '  step1 -->|"3 days<br/>no owner"| step2\n'
        '  step2 -->|"5 days<br/>no owner"| step3\n'
        '  step3 -->|"7 days<br/>no owner"| step4\n'
        "  step4 --> customer\n"
    )


def test_mermaid_shows_block_lead_times_inventory_owners_and_kinds():
    office = to_mermaid(load_map(MAPS / "office.yaml"))
    assert '"<b>Register claim</b><br/>PT 20 minutes<br/>LT 4 hours<br/>%C#amp;A 80.0 %"' in office
    factory = to_mermaid(load_map(MAPS / "manufacturing.yaml"))
    assert '-->|"7,000 pieces = 7.61 days<br/>no owner"|' in factory  # 7000 / 920
    software = to_mermaid(load_map(MAPS / "software_delivery.yaml"))
    assert '-->|"168 hours<br/>owner: Change advisory board"|' in software  # 7 days
    pulled = ValueStream(
        "Pull", [Step("a")], [Handoff(SUPPLIER, "a", kind="pull"), Handoff("a", CUSTOMER, kind="fifo")]
    )
    assert '-->|"pull<br/>no owner"|' in to_mermaid(pulled)
    assert '-->|"FIFO<br/>no owner"|' in to_mermaid(pulled)


def test_mermaid_marks_the_critical_path_when_branches_exist():
    text = to_mermaid(load_map(MAPS / "parallel.yaml"))
    # record, equipment and first day are steps 1, 3 and 4 in file order
    assert text.endswith("  classDef critical stroke-width:3px\n  class step1,step3,step4 critical\n")
    assert "classDef" not in to_mermaid(load_map(MAPS / "office.yaml"))


def test_mermaid_escapes_what_users_typed():
    stream = ValueStream(
        INJECTION,
        [Step("x", SCRIPT, owner=INJECTION, process_time=Duration.of(1, "days"))],
        [Handoff(SUPPLIER, "x", Duration.of(2, "days"), owner=SCRIPT), Handoff("x", CUSTOMER)],
        supplier=INJECTION,
        customer="Tom & Jerry #1 `code`",
    )
    text = to_mermaid(stream)
    assert "<script" not in text and "</script" not in text
    assert '"; DROP' not in text
    assert "#lt;script#gt;alert(1)#lt;/script#gt;" in text
    assert "#quot;; DROP TABLE" in text
    assert "Tom #amp; Jerry #35;1 #96;code#96;" in text
    # every label is one quoted string with no quote inside
    for line in text.splitlines()[1:]:
        assert re.fullmatch(r'  \w+(\(\[|\[)"[^"]*"(\]\)|\])|  \w+ -->(\|"[^"]*"\|)? \w+', line), line


def test_mermaid_text():
    assert mermaid_text('a "b"\n<c>') == "a #quot;b#quot; #lt;c#gt;"


def test_markdown_table_and_headline():
    text = to_markdown(load_map(MAPS / "four_functions.yaml"))
    assert text.startswith("## Quote to delivered solution\n")
    assert "| Marketing | Head of Marketing | va | 5 days |  | 100.0 % |  | yes |" in text
    assert "| Marketing | Sales | 3 days | *nobody* | push | yes |" in text
    assert "| lead time | 44 days |" in text
    assert "| activity ratio | 65.9 % |" in text  # 29 / 44
    assert "| critical path | Marketing → Sales → Ops → Delivery |" in text
    assert "- day length: 1 day = 24 h (calendar time)" in text


def test_markdown_escapes_what_users_typed():
    stream = ValueStream("Map", [Step("x", f"{SCRIPT} [link](http://x) a|b", owner="*bold*")])
    text = to_markdown(stream)
    assert "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\[link\\](http\\://x) a\\|b" in text
    assert "\\*bold\\*" in text
    assert markdown_text("a_b") == "a\\_b"


def test_format_summary_prints_numbers_and_conventions():
    text = format_summary(load_map(MAPS / "manufacturing.yaml"))
    assert "lead time                 23.6 days" in text
    assert "process time              3.13 minutes" in text  # 188 s
    assert "takt time                 1 minute" in text  # 60 s
    assert "constraint                Assembly #1 (1.03 minutes effective cycle time, 103% of takt)" in text
    assert "largest wait              between Stamping and Spot weld #1: 7.61 days" in text
    assert "unowned handoffs          7 of 7" in text
    assert "Conventions:\n  lead time: waits on handoffs plus each step's block lead time" in text
    assert "  inventory: pieces / demand_per_day days of demand" in text
    assert "  day length: 1 day = 24 h (calendar time)" in text


def test_format_duration_picks_a_readable_unit():
    assert format_duration(Duration(188.0), "days") == "3.13 minutes"
    assert format_duration(Duration.of(0.5, "days", 8), "days", 8) == "4 hours"
    assert format_duration(Duration.of(44, "days"), "days") == "44 days"
    assert format_duration(Duration.of(648, "hours"), "hours") == "648 hours"
    assert format_duration(Duration(0.0), "days") == "0 days"


def test_format_ratio():
    assert format_ratio(29 / 44) == "65.9 %"
    assert format_ratio(188 / 2_040_000) == "0.0092 %"
    assert format_ratio(None) == "n/a"
    assert format_ratio(float("nan")) == "n/a"


def test_markdown_text_shows_addresses_and_markup_literally_when_rendered():
    typed = "Review https://example.com/x **bold** <b>b</b> [x](y) `code` a|b $math$ www.example.com"
    rendered = markdown2html_mistune(f"- {markdown_text(typed)}")
    assert "<a " not in rendered and "<strong>" not in rendered and "<code>" not in rendered
    assert (
        "Review https://example.com/x **bold** &lt;b&gt;b&lt;/b&gt; [x](y) `code` a|b $math$ www.example.com"
        in rendered
    )
