# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smoke test's objects: one claim, a writer and a reader that share it and its marker;
the snapshot step's VolumeSnapshot, restored claim and reader."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import (
    settings,
    smoke,
)


def test_smoke_objects_share_the_claim_and_marker():
    objs = smoke.smoke_objects("topolvm-ssd", marker="m-123")
    assert objs["pvc"]["spec"]["storageClassName"] == "topolvm-ssd"
    for role in ("writer", "reader"):
        pod = objs[role]["spec"]
        assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == objs["pvc"]["metadata"]["name"]
        assert pod["restartPolicy"] == "Never"
    assert objs["writer"]["spec"]["containers"][0]["env"] == [{"name": "MARKER", "value": "m-123"}]
    assert "/data/marker" in objs["reader"]["spec"]["containers"][0]["command"][-1]
    with pytest.raises(settings.TopolvmConfigError):
        smoke.smoke_objects("Not A Class")


def test_smoke_snapshot_and_restore_objects():
    objs = smoke.snapshot_objects("topolvm-thin", "topolvm-thin", marker="m-1")
    snapshot, restored, reader = objs["snapshot"], objs["restored"], objs["restored_reader"]
    assert snapshot["spec"] == {
        "volumeSnapshotClassName": "topolvm-thin",
        "source": {"persistentVolumeClaimName": "smoke-topolvm-thin"},
    }
    assert restored["spec"]["dataSource"] == {
        "apiGroup": "snapshot.storage.k8s.io",
        "kind": "VolumeSnapshot",
        "name": snapshot["metadata"]["name"],
    }
    assert restored["spec"]["storageClassName"] == "topolvm-thin"
    claim = reader["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]
    assert claim == restored["metadata"]["name"]
    assert reader["spec"]["containers"][0]["command"][-1] == "cat /data/marker"
