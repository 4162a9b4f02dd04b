"""The HTML report in a real browser (headless Chromium): the overview agrees with the JSON
output, filters work, a conversation opens with its findings highlighted, hostile transcript
text stays text, nothing is fetched and nothing is logged as an error. A 10,000-conversation
report opens and filters (its timing is in bench/report_open.py, not here)."""

import json
import random
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import Watch, chromium_or_skip, headless

from cslint.model import Conversation, Finding, Severity, Turn
from cslint.reporters.html import HtmlReporter
from cslint.results import CheckResults

EXAMPLES = Path(__file__).parent.parent / "examples" / "transcripts"

#: Each tries to run script if any view ever parses data as HTML: window.__pwned or a dialog.
XSS = [
    "</script><script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    '<svg onload="window.__pwned=3">',
    '<a href="javascript:window.__pwned=4">click me</a> javascript:alert(5)',
    "<!-- <b onmouseover=alert(6)>bold</b> -->",
    "&lt;escaped&gt; &amp; \u2028 line separator",
]
#: A word only the hostile conversation holds, to find it with the search box.
TOKEN = "zebra7token"


@pytest.fixture(scope="module")
def hostile_run(
    tmp_path_factory,
):
    """The examples plus a conversation whose id, title, agent name and text are all markup;
    the JSON and the HTML report of the same run."""
    folder = tmp_path_factory.mktemp("hostile")
    conversation = {
        "id": '"><img src=x onerror=alert(7)>',
        "title": "<script>window.__pwned=8</script> refund",
        "channel": "<i>chat</i>",
        "turns": [
            {"speaker": "customer", "text": f"{XSS[0]} my order {TOKEN}", "time": "2024-03-04T09:00:00Z"},
            {
                "speaker": "agent",
                "name": '<b onmouseover="alert(9)">Mallory</b>',
                "text": f"{XSS[1]} Please visit our website. {XSS[2]} {XSS[3]} {XSS[4]} {XSS[5]}",
                "time": "2024-03-04T09:01:00Z",
            },
        ],
    }
    hostile = folder / "hostile <b>x.jsonl"
    hostile.write_text(json.dumps(conversation) + "\n", encoding="utf-8")
    from click.testing import CliRunner

    from cslint.cli import cli

    runner = CliRunner()
    report = folder / "report.html"
    args = ["check", "--no-config", "-j", "1", str(EXAMPLES), str(hostile)]
    document = json.loads(runner.invoke(cli, [*args, "-f", "json"]).stdout)
    runner.invoke(cli, [*args, "-f", "html", "-o", str(report)])
    assert report.exists()
    return report, document, hostile, conversation


@pytest.fixture(scope="module")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = headless.launch(p, executable)
        yield instance
        instance.close()


@pytest.fixture
def open_report(browser):
    """open_report(path, route="") -> (page, watch): the report loaded and drawn."""
    pages = []

    def opener(path: Path, route: str = ""):
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        watch = Watch()
        watch.attach(page)
        page.goto(path.resolve().as_uri() + (f"#{route}" if route else ""))
        page.wait_for_selector("#app > h1, #app > div")
        pages.append(page)
        return page, watch

    yield opener
    for page in pages:
        page.close()


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", ""))


def wait_count(page, expected: int) -> None:
    """Until the page says ``expected`` conversations match (locator polling: the report's
    Content-Security-Policy forbids the eval that wait_for_function would use)."""
    from playwright.sync_api import expect

    expect(page.locator("#match-count")).to_have_attribute("data-count", str(expected))


def assert_inert(page):
    """No markup from the data became elements, no script of it ran."""
    assert page.evaluate("window.__pwned") is None
    injected = "#app img, #app script, #app iframe, #app b[onmouseover], #app [onerror], #app [onload], #app i"
    assert page.locator(injected).count() == 0
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    assert all(href.startswith("#") for href in hrefs), hrefs


def test_overview_numbers_match_the_json_output(hostile_run, open_report, tmp_path):
    report, document, _, _ = hostile_run
    summary = document["summary"]
    page, watch = open_report(report)
    kpi = {
        key: number(page.locator(f"[data-kpi={key}] .value").inner_text())
        for key in ("conversations", "agent-turns", "findings", "mean-score", "critical")
    }
    assert kpi == {
        "conversations": summary["conversations"],
        "agent-turns": summary["agent_turns"],
        "findings": summary["findings"],
        "mean-score": summary["scorecard"]["mean_score"],
        "critical": summary["scorecard"]["critical_failed"],
    }
    for severity in ("error", "warning", "info"):
        shown = number(page.locator(f"[data-severity={severity}]").text_content())
        assert shown == summary["by_severity"].get(severity, 0)
    assert page.locator("g[data-rule]").count() == len(summary["by_rule"])
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    page.goto(report.resolve().as_uri() + "#agents")
    page.wait_for_selector("#agent-ranking tbody tr")
    agents = page.eval_on_selector_all("#agent-ranking tbody tr", "rows => rows.map(r => r.dataset.agent)")
    assert agents == [a["agent"] for a in summary["by_agent"]]
    assert '<b onmouseover="alert(9)">Mallory</b>' in agents  # the name, as text
    assert_inert(page)
    watch.assert_clean()


def test_filters_search_and_a_conversation(hostile_run, open_report, tmp_path):
    report, document, _, _ = hostile_run
    summary = document["summary"]
    page, watch = open_report(report, "conversations")
    count = page.locator("#match-count")
    assert int(count.get_attribute("data-count")) == summary["conversations"]
    page.select_option("[data-filter=rule]", "runaround")
    expected = sum(1 for c in summary["by_conversation"] if "runaround" in c["by_rule"])
    wait_count(page, expected)
    assert "rule=runaround" in page.url  # the filters are in the address: a link shares them
    page.select_option("[data-filter=rule]", "")
    page.fill("[data-filter=q]", TOKEN)
    wait_count(page, 1)
    page.fill("[data-filter=q]", "")
    page.select_option("[data-filter=status]", "failed")
    failed = summary["scorecard"]["failed"]
    wait_count(page, failed)
    page.fill("[data-filter=min]", "60")
    page.dispatch_event("[data-filter=min]", "change")
    expected = sum(1 for c in summary["by_conversation"] if not c["passed"] and c["score"] >= 60)
    wait_count(page, expected)
    # The worst conversation first; open it.
    first = page.locator(".convrow").first
    index = int(first.get_attribute("data-index"))
    scored = summary["by_conversation"][index]
    first.click()
    page.wait_for_selector("#turns .turn")
    assert page.locator("#turns .turn").count() == scored["turns"]
    assert page.locator("#findings .fcard").count() == scored["findings"] > 0
    assert page.locator("#turns mark, #turns .flags .sev").count() > 0
    where = page.locator("#findings .fcard .where").first.inner_text()
    assert where.startswith(scored["path"] + ":")
    assert quote(scored["conversation"], safe="") in page.url or scored["conversation"] in page.url
    page.screenshot(path=str(tmp_path / "conversation.png"))
    assert (tmp_path / "conversation.png").stat().st_size > 10_000
    watch.assert_clean()


def test_hostile_text_stays_text_in_every_view(hostile_run, open_report):
    report, document, hostile, conversation = hostile_run
    path = next(f["path"] for f in document["findings"] if f["path"].endswith(".jsonl") and "hostile" in f["path"])
    route = f"conversation/{quote(path, safe='')}/{quote(conversation['id'], safe='')}"
    page, watch = open_report(report, route)
    page.wait_for_selector("#turns .turn")
    shown = page.locator("#turns").inner_text()
    for attack in XSS[:4]:
        assert attack in shown.replace("\n", " ") or attack.split(">")[0] in shown
    assert conversation["title"] in page.locator("h1").inner_text()
    assert page.locator("#turns mark").count() > 0  # the runaround passage, highlighted
    assert_inert(page)
    for view in (
        "overview",
        "agents",
        f"conversations?q={TOKEN}",
        "conversations?agent=" + quote(conversation["turns"][1]["name"]),
    ):
        page.goto(report.resolve().as_uri() + "#" + view)
        page.wait_for_selector("#app > h1")
        assert_inert(page)
    assert int(page.locator("#match-count").get_attribute("data-count")) == 1
    watch.assert_clean()


def synthetic_report(path: Path, conversations: int, seed: int = 7) -> dict:
    """A report of ``conversations`` made-up conversations (no linting: the reporter alone),
    with what the page should count for a few filters."""
    rng = random.Random(seed)
    agents = [f"Agent-{i:02d}" for i in range(40)]
    rules = [("runaround", Severity.WARNING), ("blame", Severity.ERROR), ("jargon", Severity.INFO)]
    result = CheckResults(keep_findings=False)
    with path.open("w", encoding="utf-8") as out:
        reporter = HtmlReporter(out)
        expected = {"agent": 0, "blame": 0, "word": 0}
        for n in range(conversations):
            agent = agents[n % len(agents)]
            day = 1 + n % 28
            turns = []
            for t in range(6):
                speaker = "agent" if t % 2 else "customer"
                word = "parcel" if rng.random() < 0.1 else "order"
                text = f"Turn {t} about my {word} number {n}. Please visit our website for details."
                turns.append(
                    Turn(
                        speaker, text, name=agent if speaker == "agent" else None, time=f"2024-02-{day:02d}T10:0{t}:00Z"
                    )
                )
            findings = []
            for t in (1, 3, 5):
                if rng.random() < 0.5:
                    rule, severity = rules[rng.randrange(len(rules))]
                    text = turns[t].text
                    start = text.index("visit our website")
                    findings.append(
                        Finding(
                            rule,
                            severity,
                            "synthetic.jsonl",
                            f"c-{n}",
                            t,
                            "agent",
                            n + 1,
                            start + 1,
                            start,
                            start + 17,
                            "visit our website",
                            "message",
                            "fix",
                            turn_text=text,
                            agent=agent,
                        )
                    )
            conversation = Conversation(f"c-{n}", "synthetic.jsonl", turns, channel="chat" if n % 3 else "email")
            result.conversations += 1
            result.turns += len(turns)
            result.add(findings)
            result.scores.add(conversation, findings)
            reporter.on_conversation(conversation, findings)
            expected["agent"] += agent == "Agent-07"
            expected["blame"] += any(f.rule == "blame" for f in findings)
            expected["word"] += any("parcel" in t.text for t in turns)
        result.files = 1
        reporter.finish(result)
    return expected


def test_ten_thousand_conversations_open_and_filter(open_report, tmp_path):
    report = tmp_path / "big.html"
    expected = synthetic_report(report, 10_000)
    page, watch = open_report(report)
    assert page.locator("[data-kpi=conversations] .value").inner_text() == "10,000"
    page.goto(report.resolve().as_uri() + "#conversations?agent=Agent-07")
    page.wait_for_selector(".convrow")
    assert int(page.locator("#match-count").get_attribute("data-count")) == expected["agent"]
    assert page.locator(".convrow").count() == 50  # one page of rows, not 250
    page.select_option("[data-filter=agent]", "")
    page.select_option("[data-filter=rule]", "blame")
    wait_count(page, expected["blame"])
    page.select_option("[data-filter=rule]", "")
    page.fill("[data-filter=q]", "parcel")
    wait_count(page, expected["word"])
    page.get_by_role("button", name="Next ›").first.click()
    assert "page=2" in page.url
    page.locator(".convrow").first.click()
    page.wait_for_selector("#turns .turn")
    assert page.locator("#turns .turn").count() == 6
    watch.assert_clean()


def test_a_finding_shows_the_better_wording_for_its_own_passage(hostile_run, open_report):
    # chat-1001's first reply opens "Please provide your order number." Robotism's data-demand
    # detector has its own "instead of 'please provide your'", listed after the rule's other
    # wordings; the card must show that one, not the rule's first ones as "for example".
    report, _, _, _ = hostile_run
    route = "conversation/" + quote(str(EXAMPLES / "chats.jsonl"), safe="") + "/chat-1001"
    page, watch = open_report(report, route)
    page.wait_for_selector("#findings .fcard")
    card = page.locator("#findings .fcard", has_text="robotism").first
    assert card.locator(".betterhead").inner_text() == "Better wording:"
    assert "please provide your" in card.locator("ul.better").inner_text().lower()
    assert "hesitate" not in card.locator("ul.better").inner_text().lower()
    watch.assert_clean()
