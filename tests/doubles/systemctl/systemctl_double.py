# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of ``systemctl`` whose D-Bus calls time out: once, a given number of times, or always.

It proves that the read modules (swap_info, node_state_info and through it node_converge) retry a systemctl
that timed out and fail the task, naming the command and its error, when it never answers; it never turns
a failed read into an empty unit list.

A test writes a ``systemctl`` wrapper that runs this file into a directory placed first on PATH (a VM
scenario puts it in /usr/local/sbin, which root's PATH searches before /usr/bin). Settings (environment):

- ``LVMKUBE_SYSTEMCTL_DOUBLE_TIMEOUTS``: ``<verb>=<n>`` pairs, comma-separated, such as
  ``list-unit-files=1`` (the first call of that verb times out, the next ones answer) or
  ``show=always``. A call that times out sleeps ``LVMKUBE_SYSTEMCTL_DOUBLE_DELAY`` seconds (default 0),
  then prints what systemctl prints when its D-Bus call times out and exits 1 (systemd/systemd
  src/systemctl/systemctl-list-unit-files.c, commit cfb9fe4065d34c21d647d501fdb471517ecdf6ee,
  ``verb_list_unit_files``: ``Failed to list unit files: %s`` with ``bus_error_message()`` of
  ``-ETIMEDOUT``, "Connection timed out", after sd-bus' 25 s ``BUS_DEFAULT_TIMEOUT``).
- ``LVMKUBE_SYSTEMCTL_DOUBLE_STATE``: a directory where the calls are counted (one line per call in
  ``calls.log``: the arguments, then ``timeout`` or ``answer``).
- ``LVMKUBE_SYSTEMCTL_DOUBLE_REAL``: the real systemctl; calls that do not time out run it (a VM). Without it
  (no systemd here) the double answers from ``LVMKUBE_SYSTEMCTL_DOUBLE_UNITS``, a file of ``<unit> <state>``
  lines: ``list-units`` and ``list-unit-files`` print the matching lines, ``show`` prints LoadState,
  UnitFileState and ActiveState (``not-found``/empty/``inactive`` for units not listed).

The gap to the real thing: the answers here are canned; on a VM the real systemctl answers.
"""

from __future__ import annotations

import os
import sys
import time

MESSAGES = {
    "list-unit-files": "Failed to list unit files: Connection timed out",
    "list-units": "Failed to list units: Connection timed out",
    "show": "Failed to get properties: Connection timed out",
}
OPTIONS_WITH_VALUE = {"--type", "--property", "-p", "-t", "--state"}


def verb_of(argv):
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in OPTIONS_WITH_VALUE:
            skip = True
            continue
        if not arg.startswith("-"):
            return arg
    return ""


def timeouts_wanted(verb):
    for pair in os.environ.get("LVMKUBE_SYSTEMCTL_DOUBLE_TIMEOUTS", "").split(","):
        name, _sep, count = pair.partition("=")
        if name.strip() == verb:
            return -1 if count.strip() == "always" else int(count or 0)
    return 0


def record(state, argv, outcome):
    """Count this call; return how many calls of the same verb came before it."""
    if not state:
        return 0
    os.makedirs(state, exist_ok=True)
    log = os.path.join(state, "calls.log")
    verb = verb_of(argv)
    before = 0
    if os.path.exists(log):
        with open(log, encoding="utf-8") as handle:
            before = sum(1 for line in handle if line.split("\t")[0] == verb)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{verb}\t{' '.join(argv)}\t{outcome(before)}\n")
    return before


def canned_units():
    path = os.environ.get("LVMKUBE_SYSTEMCTL_DOUBLE_UNITS")
    units = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 2:
                    units[fields[0]] = fields[1]
    return units


def canned_answer(argv, verb):
    units = canned_units()
    if verb in ("list-units", "list-unit-files"):
        types = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--type=")]
        for name, state in sorted(units.items()):
            if not types or name.endswith("." + types[0]):
                sys.stdout.write(f"{name} {state}\n")
        return 0
    if verb == "show":
        names = [arg for arg in argv[argv.index("show") + 1 :] if not arg.startswith("-")]
        for name in names:
            state = units.get(name)
            sys.stdout.write(f"LoadState={'loaded' if state else 'not-found'}\n")
            sys.stdout.write(f"UnitFileState={state or ''}\nActiveState=inactive\n")
        return 0
    sys.stderr.write(f"systemctl double: verb {verb!r} is not answered without LVMKUBE_SYSTEMCTL_DOUBLE_REAL\n")
    return 1


def main(argv):
    verb = verb_of(argv)
    wanted = timeouts_wanted(verb)
    state = os.environ.get("LVMKUBE_SYSTEMCTL_DOUBLE_STATE", "")
    decided = {}

    def outcome(before):
        decided["timeout"] = wanted == -1 or before < wanted
        return "timeout" if decided["timeout"] else "answer"

    if state:
        record(state, argv, outcome)
    else:
        outcome(0)
    if decided["timeout"]:
        time.sleep(float(os.environ.get("LVMKUBE_SYSTEMCTL_DOUBLE_DELAY", "0") or 0))
        sys.stderr.write(MESSAGES.get(verb, "Failed to connect to bus: Connection timed out") + "\n")
        return 1
    real = os.environ.get("LVMKUBE_SYSTEMCTL_DOUBLE_REAL")
    if real:
        os.execv(real, [real, *argv])
    return canned_answer(argv, verb)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
