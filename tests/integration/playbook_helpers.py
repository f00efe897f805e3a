# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way the integration tests run ansible tools from the checkout (root ansible.cfg, venv on PATH).

ansible_env: the environment; ansible_tool: any ansible-* command; run_playbook: ansible-playbook on a
playbook file (implicit localhost with the local connection unless an inventory is given); recap: the
PLAY RECAP counts of one host from the default callback; said: a message in the output, however the core
wrapped it; run_playbook_text: a playbook text with extra
vars, json callback output (json_result).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPO = ROOT
VENV_BIN = Path(sys.executable).parent
ANSIBLE_PLAYBOOK = VENV_BIN / "ansible-playbook"


def ansible_env(callback: str | None = None, **extra: str) -> dict[str, str]:
    """os.environ plus the root ansible.cfg, no colours, no localhost warnings, the venv first on PATH."""
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        # Deprecation warnings on, with the traceback that tells whose code raised them (ansible-core 2.19+;
        # older cores ignore the variable): ansible_tool fails on the ones from this collection.
        ANSIBLE_DEPRECATION_WARNINGS="true",
        ANSIBLE_DISPLAY_TRACEBACK="deprecated",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    if callback:
        env["ANSIBLE_STDOUT_CALLBACK"] = callback
    env.update(extra)
    return env


def tool(name: str) -> str:
    """The venv's ansible tool (or the one on PATH)."""
    path = VENV_BIN / name
    return str(path) if path.exists() else name


_DEPRECATION = re.compile(r"^\[DEPRECATION WARNING\]: ", re.MULTILINE)
OUR_CODE = ("ansible_collections/lvmkube/cluster/", "lvmkube.cluster")


def deprecations_from_our_code(output: str) -> list[str]:
    """The deprecation warnings in ansible's output that this collection's code raised.

    Each warning runs to the next one (or the end); with DISPLAY_TRACEBACK=deprecated (ansible_env) it carries
    the traceback, so a frame in this collection's files makes it ours; before ansible-core 2.19 the warning
    names the plugin or collection. Deprecations of dependencies and of ansible-core itself are not ours.
    """
    starts = [match.start() for match in _DEPRECATION.finditer(output)] + [len(output)]
    blocks = [output[start:end] for start, end in itertools.pairwise(starts)]
    return [block.strip() for block in blocks if any(marker in block for marker in OUR_CODE)]


def ansible_tool(name, *args, env=None, timeout=300, prefix=()):
    """Run ansible-inventory, ansible-doc, ansible-playbook ... from the checkout; return the process.

    Fails (AssertionError) when the run printed a deprecation warning raised by this collection's code.
    """
    proc = subprocess.run(
        [*prefix, tool(name), *map(str, args)],
        cwd=ROOT,
        env=env or ansible_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    ours = deprecations_from_our_code(proc.stdout + "\n" + proc.stderr)
    assert not ours, "ansible-core deprecation warnings from lvmkube.cluster:\n" + "\n\n".join(ours)[:6000]
    return proc


def run_playbook(playbook, *args, inventory=None, callback=None, prefix=(), env=None, timeout=300):
    """ansible-playbook PLAYBOOK ARGS; without inventory: implicit localhost, local connection, this Python."""
    if inventory is None:
        target = ["-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}"]
    else:
        target = ["-i", str(inventory)]
    return ansible_tool(
        "ansible-playbook", *target, playbook, *args, env=env or ansible_env(callback), timeout=timeout, prefix=prefix
    )


def flat(text: str) -> str:
    """Text without white space, single quotes undoubled: the same message whatever the core did to its lines.

    ansible-core before 2.19 wraps warnings and errors at 79 columns (``Display.warning``/``error`` with
    ``textwrap.wrap``, which also breaks long words at hyphens), and its yaml result callback folds long strings and
    doubles single quotes; 2.19 and later print them on one line.
    """
    return re.sub(r"\s+", "", text).replace("''", "'")


def said(expected: str, *outputs: str) -> bool:
    """Whether the outputs hold the message ``expected`` (compared as :func:`flat` text)."""
    return flat(expected) in flat("\n".join(outputs))


def json_output(proc):
    """The json callback's document from a finished process, or None when stdout is no JSON."""
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None


def recap(text, host="localhost"):
    """{ok: n, changed: n, ...} of host from the PLAY RECAP of the default callback ({} without one)."""
    match = re.search(rf"^{re.escape(host)}\s*:\s*(.*)$", text, re.MULTILINE)
    if not match:
        return {}
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


def run_playbook_text(
    tmp_path, playbook, extra, *flags, inventory=None, expect_ok=True, callback="ansible.builtin.json"
):
    """Write playbook and extra vars into tmp_path, run them; assert the return code; return the process."""
    playbook_file = tmp_path / "play.yml"
    playbook_file.write_text(playbook)
    extra_file = tmp_path / "extra.json"
    extra_file.write_text(json.dumps(extra))
    args = [playbook_file, "-e", f"@{extra_file}", *flags]
    if inventory:
        args += ["-i", inventory]
    proc = ansible_tool("ansible-playbook", *args, env=ansible_env(callback))
    assert (proc.returncode == 0) == expect_ok, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc


def json_result(proc):
    """The json callback's document (anything printed before it is skipped)."""
    return json.loads(proc.stdout[proc.stdout.index("{") :])
