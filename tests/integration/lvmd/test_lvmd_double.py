# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lvmd test double behaves like lvmd where the lvmd role can see it: flags, config validation, socket."""

from __future__ import annotations

import importlib.util
import shutil
import signal

import pytest
import yaml
from lvmd_helpers import DOUBLE, accepts_connection, fake_lvm, short_tmpdir, start_double, wait_for_socket

from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_config

CLASSES = [
    {"name": "ssd", "volume_group": "myvg1", "devices": ["/dev/vdb"], "default": True, "spare_gb": 10},
    {"name": "thin", "volume_group": "myvg2", "thin_pool": {"name": "pool0", "overprovision_ratio": 5.0}},
]


@pytest.fixture
def workdir():
    path = short_tmpdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except Exception:
        process.kill()
        process.wait(timeout=10)
    return process.stderr.read()


def wait_exit(process):
    """stderr of a double that is expected to exit on its own."""
    _out, err = process.communicate(timeout=30)
    return err


def test_serves_the_socket_of_a_config_written_by_lvmd_config(workdir):
    sock = workdir / "run" / "lvmd.sock"
    sock.parent.mkdir()
    config = workdir / "lvmd.yaml"
    config.write_text(lvmd_config(CLASSES, str(sock)), encoding="utf-8")
    lvm = fake_lvm(workdir / "bin", vgs=["myvg1", "myvg2"], pools=["myvg2/pool0"])
    process = start_double([f"--config={config}", "--zap-log-level=info"], lvm)
    try:
        assert wait_for_socket(sock, process), process.stderr.read() if process.poll() is not None else "no socket"
        assert accepts_connection(sock)
        assert accepts_connection(sock)  # keeps serving
    finally:
        log = stop(process)
    assert process.returncode == 0
    assert not sock.exists(), "the socket is removed on SIGTERM"
    assert "TEST DOUBLE" in log
    assert "ignoring flags: --zap-log-level=info" in log
    assert "device classes ssd, thin" in log


def test_legacy_flags(workdir):
    sock = workdir / "legacy.sock"
    lvm = fake_lvm(workdir / "bin", vgs=["myvg1"])
    process = start_double(["--volume-group=myvg1", f"--listen={sock}", "--spare=10"], lvm)
    try:
        assert wait_for_socket(sock, process)
        assert accepts_connection(sock)
    finally:
        log = stop(process)
    assert "legacy mode: volume group myvg1" in log


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        ("socket-name: {sock}\ndevice-classes: []\n", "should have at least one device-class"),
        (
            "socket-name: {sock}\ndevice-classes:\n  - {{name: a, volume-group: myvg1, default: true}}\n"
            "  - {{name: b, volume-group: myvg2, default: true}}\n",
            "should not have multiple default device-class",
        ),
        (
            "socket-name: {sock}\ndevice-classes:\n"
            "  - {{name: a, volume-group: myvg1}}\n  - {{name: a, volume-group: myvg2}}\n",
            "duplicate device-class name: a",
        ),
        ("socket-name: {sock}\ndevice-classes:\n  - {{name: a}}\n", "volume group name should not be empty: a"),
        ("socket-name: {sock}\ndevice-classes:\n  - {{name: a, volume-group: nope}}\n", "volume group not found: nope"),
        (
            "socket-name: {sock}\ndevice-classes:\n  - {{name: t, volume-group: myvg2, type: thin}}\n",
            "thinpool config is empty: t",
        ),
        (
            "socket-name: {sock}\ndevice-classes:\n"
            "  - {{name: t, volume-group: myvg2, type: thin, thin-pool: {{name: pool0, overprovision-ratio: 0.5}}}}\n",
            "should be 1.0 or more",
        ),
        (
            "socket-name: {sock}\ndevice-classes:\n"
            "  - {{name: t, volume-group: myvg2, type: thin, thin-pool: {{name: other, overprovision-ratio: 2}}}}\n",
            "thin pool not found: myvg2/other",
        ),
        (
            "socket-name: {sock}\ndevice-classes:\n  - {{name: a, volume-group: myvg1, stripe-size: 12x}}\n",
            "stripe-size format",
        ),
        ("socket-name: [\n", "not valid YAML"),
    ],
)
def test_refuses_what_lvmd_refuses(workdir, config_text, message):
    sock = workdir / "lvmd.sock"
    config = workdir / "lvmd.yaml"
    config.write_text(config_text.format(sock=sock), encoding="utf-8")
    lvm = fake_lvm(workdir / "bin", vgs=["myvg1", "myvg2"], pools=["myvg2/pool0"])
    process = start_double(["--config", str(config)], lvm)
    log = wait_exit(process)
    assert process.returncode == 1
    assert message in log
    assert not sock.exists()


def test_missing_config_and_wrong_flag_mix(workdir):
    lvm = fake_lvm(workdir / "bin", vgs=["myvg1"])
    process = start_double([f"--config={workdir / 'absent.yaml'}"], lvm)
    assert "cannot read config file" in wait_exit(process)
    assert process.returncode == 1
    process = start_double(["--listen=/tmp/x.sock"], lvm)
    assert "--listen needs --volume-group" in wait_exit(process)
    assert process.returncode == 1


def load_double_module():
    spec = importlib.util.spec_from_file_location("lvmd_double_under_test", DOUBLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


READER_CASES = [
    lvmd_config(CLASSES),
    lvmd_config(
        [
            dict(
                CLASSES[0],
                stripe=2,
                stripe_size="64",
                devices=["/dev/vdb", "/dev/vdc"],
                lvcreate_options=["--type=raid1", "--nosync"],
            ),
            dict(CLASSES[1], name="thin.2-x", spare_gb=0),
        ],
        "/run/lvmd/x.sock",
    ),
    "# comment\nsocket-name: '/run/a b.sock'\ndevice-classes:\n- name: \"q\"\n  volume-group: vg\n  default: false\n"
    "  lvcreate-options: []\n  thin-pool:\n    name: p\n    overprovision-ratio: 10\n  x: [a, 1, true]\n",
    "a:\n  -\n    b: 1\n  - c\nd: ~\ne:\n",
]


@pytest.mark.parametrize("text", READER_CASES)
def test_builtin_reader_agrees_with_pyyaml(text):
    double = load_double_module()
    assert double.parse_block_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", ["a: {b: 1}\n", "a:\n\t- b\n", "a: [x, [y]]\n", "a: 1\n  b: 2\n", "just text\n"])
def test_builtin_reader_refuses_what_it_does_not_understand(text):
    double = load_double_module()
    with pytest.raises(double.ConfigError, match="not valid YAML"):
        double.parse_block_yaml(text)


def test_runs_without_pyyaml(workdir):
    hide = workdir / "hide"
    hide.mkdir()
    (hide / "yaml.py").write_text("raise ImportError('PyYAML hidden by the test')\n", encoding="utf-8")
    sock = workdir / "lvmd.sock"
    config = workdir / "lvmd.yaml"
    config.write_text(lvmd_config(CLASSES, str(sock)), encoding="utf-8")
    lvm = fake_lvm(workdir / "bin", vgs=["myvg1", "myvg2"], pools=["myvg2/pool0"])
    process = start_double([f"--config={config}"], lvm, pythonpath=hide)
    try:
        assert wait_for_socket(sock, process)
    finally:
        log = stop(process)
    assert "PyYAML missing" in log
