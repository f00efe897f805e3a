# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of scripts/molecule/step_times.py, the timing filter of run-all.sh."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "molecule" / "step_times.py"

spec = importlib.util.spec_from_file_location("step_times", SCRIPT)
step_times = importlib.util.module_from_spec(spec)
spec.loader.exec_module(step_times)


def test_parse_action_reads_coloured_molecule_lines():
    line = "\x1b[36mINFO    \x1b[0m \x1b[32mharness\x1b[0m ➜ \x1b[33mside_effect\x1b[0m: \x1b[36mExecuting\x1b[0m\n"
    assert step_times.parse_action(line) == ("harness", "side_effect")
    assert step_times.parse_action("  │ TASK [create] Executing something") is None
    # molecule's verifier logs a second line that must not start a new step
    assert step_times.parse_action("INFO     harness ➜ verify: Executing Testinfra tests found in x/tests/...") is None


def test_repeated_actions_are_numbered():
    assert step_times.label_actions(["verify", "side_effect", "verify", "verify"]) == [
        "verify",
        "side_effect",
        "verify#2",
        "verify#3",
    ]


def test_filter_passes_output_through_and_summarises(tmp_path):
    text = "".join(
        f"INFO     lvm ➜ {action}: Executing\nsome output of {action}\n"
        for action in ("create", "converge", "idempotence", "verify", "side_effect", "verify", "destroy")
    )
    summary = tmp_path / "summary"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--scenario", "lvm", "--summary", str(summary)],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith(text)
    line = summary.read_text(encoding="utf-8").strip()
    assert line.startswith("lvm: boot(create) 0s, converge 0s, idempotence 0s, verify 0s, side_effect 0s, verify#2 0s")
    assert line.endswith("s")
    assert f"TIMES {line}" in result.stdout
