# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one bounded retry of the commands the read modules run on a node.

A read that fails is never "nothing there": swap_info, node_state_info and lvm_device_check (and through
node_state_info the action node_converge) run their commands through :func:`run_read`, which retries a
failed command a bounded number of times and then raises :class:`NodeCommandError` naming the command, its
exit code and its error; the modules fail the task with it instead of returning empty data.

Why retry: on a loaded host systemctl's D-Bus call times out and systemctl exits non-zero with
``Failed to list unit files: Connection timed out``. systemd/systemd src/systemctl/systemctl-list-unit-files.c
(commit cfb9fe4065d34c21d647d501fdb471517ecdf6ee), ``verb_list_unit_files``: ``sd_bus_call(bus, m, 0, ...)``
(0: the default timeout) and on failure ``log_error_errno(r, "Failed to list unit files: %s",
bus_error_message(&error, r))``; src/libsystemd/sd-bus/bus-internal.h (commit
a71fe8b8aee1cb78c4d8c56eeb234743f64e4b4d): ``BUS_DEFAULT_TIMEOUT`` is 25 s, after which sd-bus returns
``-ETIMEDOUT`` ("Connection timed out"). Such timeouts pass; a missing command or a refused argument does
not, and after the last attempt it fails the task the same way.
"""

from __future__ import annotations

import time

ATTEMPTS = 3
DELAY_SECONDS = 2.0


class NodeCommandError(RuntimeError):
    """A read command that failed on every attempt; str() names the command, the attempts, rc and stderr."""

    def __init__(self, args, rc, out, err, attempts):
        self.args_run = [str(arg) for arg in args]
        self.rc = rc
        self.stdout = out
        self.stderr = err
        self.attempts = attempts
        detail = (err or "").strip() or (out or "").strip() or "no output"
        tries = "once" if attempts == 1 else f"{attempts} times"
        super().__init__(f"{' '.join(self.args_run)} failed {tries} (last rc {rc}): {detail}")


def run_read(run, args, *, ok_rcs=(0,), attempts=None, delay=None, sleep=None, **kwargs):
    """Run a read-only command, retrying it when its exit code is not in ok_rcs; return ``(rc, out, err)``.

    ``run`` is ``AnsibleModule.run_command`` (or anything with its signature and result); ``kwargs`` go to
    it. Attempt n waits ``delay * n`` seconds before the next one (2 s, then 4 s with the defaults,
    :data:`ATTEMPTS` and :data:`DELAY_SECONDS`). After ``attempts`` failures :class:`NodeCommandError` is
    raised: the caller fails the task, never reads an empty answer.
    """
    attempts = max(1, int(ATTEMPTS if attempts is None else attempts))
    delay = DELAY_SECONDS if delay is None else delay
    sleep = time.sleep if sleep is None else sleep
    for attempt in range(1, attempts + 1):
        rc, out, err = run(args, **kwargs)
        if rc in ok_rcs:
            return rc, out, err
        if attempt < attempts:
            sleep(delay * attempt)
    raise NodeCommandError(args, rc, out, err, attempts)


def run_or_fail(module, args, **kwargs):
    """:func:`run_read` with ``module.run_command``; a final failure fails the module (msg, cmd, rc, stderr)."""
    try:
        return run_read(module.run_command, args, **kwargs)
    except NodeCommandError as exc:
        module.fail_json(msg=str(exc), cmd=exc.args_run, rc=exc.rc, stderr=exc.stderr, attempts=exc.attempts)
