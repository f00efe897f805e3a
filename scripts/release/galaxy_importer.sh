#!/usr/bin/env bash
# CI's `importer` step: Galaxy's own import checks (galaxy-importer from PyPI) on the tarball of the build step,
# offline, with scripts/release/galaxy-importer.cfg (ansible-test off: Galaxy runs it in a container, `make sanity`
# covers it here). Fails when the importer fails, when it reports a problem of its own (a WARNING outside its
# ansible-lint run: a missing role README, changelog, docs), or when a role or module comes out without docs.
# (Filters are not checked here: a file holding several has no docs of its own; the build test runs ansible-doc
# on each.) ansible-lint's findings are printed as Galaxy shows them (warnings); ansible-lint runs as its own CI step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
version=$("$root/.venv/bin/python" -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
tarball="$root/build/lvmkube-cluster-$version.tar.gz"
[ -f "$tarball" ] || { echo "importer: $tarball missing: run the build step (make build) first" >&2; exit 1; }
venv=$(bash scripts/setup/extra_venv.sh docs)
out="$root/build/importer"
rm -rf "$out"
mkdir -p "$out"
cd "$out"
export PATH="$venv/bin:$PATH"
export GALAXY_IMPORTER_CONFIG="$root/scripts/release/galaxy-importer.cfg"
unset ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH
rc=0
"$venv/bin/python" -m galaxy_importer.main "$tarball" >importer.log 2>&1 || rc=$?
cat importer.log
[ "$rc" -eq 0 ] || { echo "importer: galaxy-importer failed (exit $rc)" >&2; exit 1; }
"$venv/bin/python" - "$out/importer.log" "$out/importer_result.json" <<'PY'
import json
import sys

log, result = sys.argv[1], sys.argv[2]
problems, in_lint = [], False
for line in open(log, encoding="utf-8"):
    if line.startswith("Linting collection via ansible-lint"):
        in_lint = True
    elif line.startswith("...ansible-lint run complete"):
        in_lint = False
    elif line.startswith(("WARNING", "ERROR")) and not in_lint:
        problems.append(line.rstrip())
data = json.load(open(result, encoding="utf-8"))
contents = data["docs_blob"]["contents"]
roles = [c["content_name"] for c in contents if c["content_type"] == "role"]
problems += [f"role {c['content_name']}: no README" for c in contents if c["content_type"] == "role" and not c.get("readme_html")]
problems += [
    f"{c['content_type']} {c['content_name']}: no documentation"
    for c in contents
    if c["content_type"] in ("module", "inventory") and not (c.get("doc_strings") or {}).get("doc")
]
if not roles or not data["docs_blob"].get("collection_readme", {}).get("html"):
    problems.append("no roles or no collection README in the import result")
if problems:
    print("importer: problems Galaxy would report:", *problems, sep="\n  ")
    sys.exit(1)
print(f"importer: galaxy-importer accepts the tarball ({len(contents)} documented items, {len(roles)} roles with README); requires_ansible {data['requires_ansible']}")
PY
