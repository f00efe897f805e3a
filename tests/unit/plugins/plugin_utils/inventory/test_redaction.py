# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages and URLs that never repeat a credential, in any encoding (property-based)."""

from __future__ import annotations

import base64
import string

from helpers.hostile import FAST
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import redaction


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + "+/=-_", min_size=8, max_size=40))
def test_masked_messages_hold_no_credential_in_any_encoding(secret):
    blob = base64.b64encode(f"token:{secret}".encode()).decode()
    message = f"400: echo Authorization: Basic {blob}\nX-Auth: {secret}\nQuery: s={blob.rstrip('=')}"
    masked = redaction.mask_credentials(message, redaction.credential_forms(secret, f"token:{secret}"))
    assert secret not in masked and blob not in masked and blob.rstrip("=") not in masked
    assert "Authorization: Basic ********" in masked


def test_redact_url_drops_user_information_and_query():
    assert (
        redaction.redact_url("https://tok:sec@example.test:8443/cloud/zone/is1a/api?x=1")
        == "https://example.test:8443/cloud/zone/is1a/api"
    )
