# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the cloud inventory plugins (sakuracloud, nifcloud): HTTP requests, retries, rate limit, prefix.

A plugin adds what is its own to an option by naming it again (ansible-core merges the keys, the plugin's win):
its C(default), its C(env) variables, the C(choices) of O(plugin). The plugin's notes say which HTTP statuses it
retries.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
requirements:
  - requests >= 2.20 (on the controller)
options:
  plugin:
    description: Marks this file as an inventory source of this plugin.
    type: str
    required: true
  timeout:
    description:
      - Deadline in seconds of one API request as a whole - connecting, the headers and every byte of the answer -
        not a limit per read, so an answer that trickles in byte by byte fails at the deadline. Each retry has its own
        deadline.
    type: int
    default: 30
  validate_certs:
    description: Whether to check the TLS certificate of the API.
    type: bool
    default: true
  retries:
    description:
      - How many times a request is sent again before giving up when it was answered with a retryable HTTP status
        (see the notes), its connection was reset or refused, or it missed its deadline (O(timeout)). Both plugins
        retry with the same code; the final error says what happened and after how many attempts.
    type: int
  retry_backoff:
    description:
      - Seconds to wait before the first retry; the wait doubles with every further retry, up to O(retry_wait_max).
    type: float
  retry_wait_max:
    description: Longest wait in seconds between two tries.
    type: float
  rate_limit:
    description:
      - Requests per second the plugin sends at most, counted over all zones or regions together (one client), as
        the SDK's client-side limiter does - the first request at once, each further one C(1/rate_limit) seconds
        after the one before. Retries count too. V(0) turns the limiter off.
    type: int
  hostvars_prefix:
    description:
      - Prefix of the host variables that describe the server (see the description for their names).
      - May be empty, unless a variable would then take a name reserved by Ansible (such as C(name) or C(tags)),
        which is an error.
    type: str
"""
