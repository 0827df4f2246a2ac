"""axe-core in the browser tests: one rule set (WCAG 2.1 A and AA) and one way to run it.

axe reads colours as they are painted at that instant. Wagtail fades its messages in (opacity over 0.5 s)
and our pages have transitions, so an audit that starts mid-fade measures a half-transparent text and
reports a contrast failure that no reader sees. Every audit first waits until the page's short
animations and transitions (ending within SHORT_MS of their start: fades, slides) have finished. Long or
endless ones are decoration left running: a spinner, or Wagtail's sidebar badge that pings five times
five seconds, which would otherwise hold every admin audit for 25 s."""

# Only violations come back in full: axe still runs every rule, but lists one node per passing,
# inapplicable or incomplete rule instead of all of them (about a third of the audit's CPU on our pages,
# and a reply of 40 kB instead of 130 kB to turn into Python).
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

SHORT_MS = 3000
SETTLED = f"""() => document.getAnimations().every(
    (animation) => animation.playState !== "running"
        || !(animation.effect?.getComputedTiming().endTime <= {SHORT_MS})
)"""


def run_axe(page, context=None, options=WCAG):
    """axe's results for the page once it has stopped moving."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(SETTLED)
    return Axe().run(page, context=context, options=options)


def violations(page, context=None):
    """[(rule id, first target), ...]: an empty list when axe finds nothing."""
    results = run_axe(page, context)
    return [(v["id"], v["nodes"][0]["target"] if v["nodes"] else "") for v in results.response["violations"]]


def assert_accessible(page, context=None, label=""):
    results = run_axe(page, context)
    assert results.violations_count == 0, (
        (label, results.generate_report()) if label else results.generate_report()
    )
