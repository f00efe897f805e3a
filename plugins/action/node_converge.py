# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action lvmkube.cluster.node_converge: read the node once, run the real modules only for what differs.

Modelled on ansible-core's own ``template`` action, which renders on the controller and hands the result to
the ``copy`` action: templates are rendered here once, one call of lvmkube.cluster.node_state_info tells what
differs (plugin_utils/node/converge.py turns that into module arguments), and ansible.posix.sysctl,
community.general.modprobe, ansible.builtin.package, lvmkube.cluster.loopback_vips, the ``copy`` action and
ansible.builtin.systemd_service run through ``_execute_module`` (or the action loader) only where needed.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_state import file_options, wanted_state_options
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.node import converge as plan

FILE_OPTIONS = file_options(src={"type": "str"}, backup={"type": "bool", "default": False})
SERVICE_OPTIONS = {
    "name": {"type": "str", "required": True},
    "enabled": {"type": "bool"},
    "state": {"type": "str", "choices": list(plan.SERVICE_STATES)},
    "masked": {"type": "bool"},
    "unit_file": {"type": "path"},
    "restart_on": {"type": "list", "elements": "path", "default": []},
    "restart": {"type": "bool", "default": False},
}
ARGUMENT_SPEC = {
    **wanted_state_options(),
    "sysctl_set": {"type": "bool", "default": True},
    "files": {"type": "list", "elements": "dict", "default": [], "options": FILE_OPTIONS},
    "services": {"type": "list", "elements": "dict", "default": [], "options": SERVICE_OPTIONS},
    "node_read": {"type": "dict"},
}
READ_MODULE = "lvmkube.cluster.node_state_info"


class _Stop(Exception):
    """A module call failed: nothing further is run."""


class ActionModule(ActionBase):
    TRANSFERS_FILES = True
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, spec = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        try:
            plan.check_spec(spec)
        except plan.ConvergeError as exc:
            raise AnsibleActionFail(str(exc)) from exc
        self._calls = []
        self._diffs = []
        self._failure = None
        check_mode = bool(self._task.check_mode)
        out = {"state": {}, "packages": None, "kernel_modules": [], "sysctls": [], "vips": None}
        out.update(files={}, services={})
        try:
            contents = {item["path"]: self._wanted_text(item, task_vars) for item in spec["files"]}
            state = out["state"] = self._read(spec, contents, task_vars)
            package_args = plan.package_call(state)
            if package_args:
                out["packages"] = self._module("ansible.legacy.package", package_args, task_vars)
                self._stop_on_failure()
            for args in plan.kernel_module_calls(state):
                out["kernel_modules"].append(
                    {"name": args["name"], **self._module("community.general.modprobe", args, task_vars)}
                )
                self._stop_on_failure()
            for args in plan.sysctl_calls(spec, state):
                res = self._module("ansible.posix.sysctl", args, task_vars)
                out["sysctls"].append({"name": args["name"], "value": args["value"], **res})
                self._stop_on_failure()
            if spec["vips"] is not None and state.get("vips_differ"):
                args = {key: spec["vips"][key] for key in ("addresses", "device", "state_file")}
                out["vips"] = self._module("lvmkube.cluster.loopback_vips", args, task_vars)
                self._stop_on_failure()
            for item in spec["files"]:
                if plan.file_needs_writing(item["path"], state):
                    out["files"][item["path"]] = self._write(item, contents[item["path"]], task_vars)
                    self._stop_on_failure()
            written = {path for path, res in out["files"].items() if res.get("changed")}
            for service in spec["services"]:
                props = state.get("services", {}).get(service["name"], {})
                restart = service["restart"] or any(path in written for path in service["restart_on"])
                args, note = plan.service_call(
                    service, props, unit_changed=service["unit_file"] in written, restart=restart, check_mode=check_mode
                )
                if args is not None:
                    out["services"][service["name"]] = self._module("ansible.legacy.systemd_service", args, task_vars)
                    self._stop_on_failure()
                elif note is not None:
                    out["services"][service["name"]] = {"changed": True, "msg": note}
        except _Stop:
            pass
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        results = [out["packages"], out["vips"], *out["kernel_modules"], *out["sysctls"]]
        results += [*out["files"].values(), *out["services"].values()]
        results = [res for res in results if res]
        failed = [res for res in results if res.get("failed")]
        result.update(out)
        result["module_calls"] = self._calls
        result["changed"] = any(res.get("changed") for res in results)
        if self._diffs:
            result["diff"] = self._diffs
        if failed:
            result["failed"] = True
            result["msg"] = "; ".join(to_text(res.get("msg", "failed")) for res in failed)
        return result

    def _stop_on_failure(self):
        if self._failure is not None:
            raise _Stop()

    def _wanted_text(self, item, task_vars):
        """The file's wanted text: its content, or its template rendered here on the controller."""
        if item["content"] is not None:
            return item["content"]
        try:
            source = self._find_needle("templates", item["src"])
        except Exception as exc:
            raise AnsibleActionFail(f"files: {item['path']}: {to_text(exc)}") from exc
        lookup = lookup_loader.get("ansible.builtin.template", loader=self._loader, templar=self._templar)
        return lookup.run([source], variables=task_vars)[0]

    def _read(self, spec, contents, task_vars):
        if spec["node_read"] is not None:
            try:
                return plan.state_from_read(spec, contents, spec["node_read"])
            except plan.ConvergeError as exc:
                raise AnsibleActionFail(str(exc)) from exc
        args = plan.read_args(spec, contents)
        if args is None:
            return {}
        state = self._module(READ_MODULE, args, task_vars, check_mode_safe=True)
        if state.get("failed"):
            raise AnsibleActionFail(f"reading the node failed: {state.get('msg')}", result=state)
        return state

    def _module(self, name, args, task_vars, check_mode_safe=False):
        """Run one module on the node (in check mode when the task is)."""
        self._calls.append(name)
        res = self._execute_module(module_name=name, module_args=args, task_vars=task_vars)
        self._collect(res, check_mode_safe)
        return res

    def _collect(self, res, read_only=False):
        if res.get("diff") and self._task.diff and not read_only:
            self._diffs.extend(res["diff"] if isinstance(res["diff"], list) else [res["diff"]])
        if res.get("failed") and not read_only:
            self._failure = res

    def _write(self, item, text, task_vars):
        """Write one file through the ``copy`` action, as the ``template`` action hands off (diff, check mode)."""
        self._calls.append("ansible.legacy.copy")
        new_task = self._task.copy()
        new_task.args = {"dest": item["path"], "content": text, "backup": item["backup"]}
        new_task.args.update({key: item[key] for key in ("mode", "owner", "group") if item[key] is not None})
        copy_action = self._shared_loader_obj.action_loader.get(
            "ansible.legacy.copy",
            task=new_task,
            connection=self._connection,
            play_context=self._play_context,
            loader=self._loader,
            templar=self._templar,
            shared_loader_obj=self._shared_loader_obj,
        )
        res = copy_action.run(task_vars=task_vars)
        self._collect(res)
        return res
