"""Run axe-core (vendored under vendor/, never served to users) on the page a test is on."""

from collections import Counter
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
# WCAG 2.2 A and AA, as the issue asks; best-practice rules are advice, not the contract.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_report(violations: list[str]) -> str:
    """Violations counted per rule, then each one: the failure message of the axe tests."""
    counts = Counter(line.split(" ", 2)[1].rstrip(":") for line in violations)
    summary = ", ".join(f"{rule} ×{count}" for rule, count in counts.most_common())
    return f"{len(violations)} WCAG violation(s): {summary}\n" + "\n".join(violations)


def axe_violations(page) -> list[str]:
    """One readable line per violation: URL, rule id, what it asks for, the offending nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        # target-size (WCAG 2.5.8) is off by default in axe: switch it on by name.
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, rules: {'target-size': {enabled: true}}
        })""",
        WCAG_TAGS,
    )
    return [
        f"{page.url} {violation['id']}: {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
