#!/usr/bin/env bash
# CI's `docs` step: the collection's documentation as Galaxy and docs.ansible.com render it, with antsibull-docs.
#
#  1. docs/docsite/rst (the how-tos as extra docs) is up to date with docs/howto-*.md (gen_extra_docs.py --check);
#  2. `antsibull-docs lint-collection-docs --plugin-docs`: every plugin's and role's documentation, the markup
#     references (M(), P(), O()), docs/docsite/links.yml and extra-docs.yml; any finding fails;
#  3. the docsite: `antsibull-docs sphinx-init` + its build.sh (antsibull-docs collection, sphinx-build -W) into
#     build/docsite/build/html. Offline, Sphinx's intersphinx inventories (docs.ansible.com, docs.python.org)
#     cannot be fetched, so references into ansible-core's and other collections' docs cannot resolve: those two
#     warning kinds (ref.ref, ref.envvar) are the only ones let through; step 2 checks this collection's own.
#
# Runs in build/venvs/docs (scripts/setup/extra_venv.sh docs). The dependency collections come from .venv's
# `ansible` package.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
venv=$(bash scripts/setup/extra_venv.sh docs)
site_packages=$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
export PATH="$venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$root/build/collections:$site_packages"
unset ANSIBLE_CONFIG

"$venv/bin/python" scripts/docs/gen_extra_docs.py --check

echo "docs: antsibull-docs lint-collection-docs --plugin-docs"
(cd build/collections/ansible_collections/lvmkube/cluster && antsibull-docs lint-collection-docs --plugin-docs .)

site="$root/build/docsite"
rm -rf "$site"
mkdir -m 700 -p "$site"
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$site" lvmkube.cluster >/dev/null
cat >>"$site/conf.py" <<'CONF'

# lvmkube.cluster CI (scripts/docs/docsite.sh): offline, no intersphinx inventory can be fetched, so only
# references into other projects' docs may stay unresolved; everything else is an error (-W).
intersphinx_mapping = {}
suppress_warnings = ["ref.ref", "ref.envvar"]
CONF
echo "docs: building the docsite into build/docsite/build/html"
bash "$site/build.sh" >"$site/build.log" 2>&1 || { cat "$site/build.log"; echo "docs: docsite build failed" >&2; exit 1; }
pages=$(find "$site/build/html" -name '*.html' | wc -l)
for page in index lvm_role topolvm_role sakuracloud_inventory docsite/howto-kubeadm; do
  [ -f "$site/build/html/$page.html" ] || { echo "docs: the docsite has no $page.html" >&2; exit 1; }
done
echo "docs: docsite built, $pages pages (build/docsite/build/html/index.html)"
