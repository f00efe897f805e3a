# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pass molecule output through and measure how long each action of the sequence took.

    molecule test -s NAME 2>&1 | python3 scripts/molecule/step_times.py --scenario NAME --summary FILE

Molecule announces every action with a line "<scenario> ➜ <action>: Executing"; an action lasts
until the next announcement or the end of the output. The summary line (also appended to FILE)
names boot (= create), converge, idempotence, verify and every other action; repeated actions get
a suffix (verify, verify#2).
"""

from __future__ import annotations

import argparse
import re
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ACTION = re.compile(r"(?P<scenario>\S+) ➜ (?P<action>[a-z_-]+): Executing\s*$")


def parse_action(line: str) -> tuple[str, str] | None:
    """(scenario, action) when the line announces an action, else None."""
    match = ACTION.search(ANSI.sub("", line).rstrip())
    if not match:
        return None
    return match.group("scenario"), match.group("action")


def label_actions(actions: list[str]) -> list[str]:
    """Labels for a sequence of actions; repeated ones get #2, #3..."""
    seen: dict[str, int] = {}
    labels = []
    for action in actions:
        seen[action] = seen.get(action, 0) + 1
        labels.append(action if seen[action] == 1 else f"{action}#{seen[action]}")
    return labels


def summary_line(scenario: str, steps: list[tuple[str, float]], total: float) -> str:
    """One line: scenario, each step with seconds, total."""
    labels = label_actions([name for name, _seconds in steps])
    parts = [
        f"{'boot(create)' if label == 'create' else label} {seconds:.0f}s"
        for label, (_name, seconds) in zip(labels, steps, strict=True)
    ]
    return f"{scenario}: " + ", ".join(parts) + f"; total {total:.0f}s"


def main() -> int:
    """Copy stdin to stdout, timing molecule actions."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--summary", help="file to append the summary line to")
    args = parser.parse_args()

    started = time.monotonic()
    steps: list[tuple[str, float]] = []
    current: str | None = None
    current_start = started
    for line in sys.stdin:
        sys.stdout.write(line)
        sys.stdout.flush()
        parsed = parse_action(line)
        if parsed is None or parsed[0] != args.scenario:
            continue
        now = time.monotonic()
        if current is not None:
            steps.append((current, now - current_start))
        current, current_start = parsed[1], now
    now = time.monotonic()
    if current is not None:
        steps.append((current, now - current_start))
    line = summary_line(args.scenario, steps, now - started)
    print(f"TIMES {line}", flush=True)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
