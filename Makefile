# lvmkube.cluster development tasks. Run `make help` for the list.
#
# Structure (owned by the foundation): every test target goes through scripts/test/steps.sh,
# which prints each step's duration and a final "N passed, N failed" summary line read by CI.
# Other areas add their own targets in the "Area targets" section at the end.

SHELL := /bin/bash
.DEFAULT_GOAL := help

STEPS := scripts/test/steps.sh
TEST_STEPS := ruff yamllint ansible-lint changelog sanity sanity-pythons unit floor build importer docs molecule

.PHONY: help setup test lint sanity unit build molecule clean

help: ## Show the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Create .venv, install Python requirements and system packages, link the collection path (fast when done)
	@bash scripts/setup/setup.sh

test: setup ## Everything CI runs, in order, stopping at the first failure
	@bash $(STEPS) --label "make test" $(TEST_STEPS)

lint: setup ## ruff, yamllint, ansible-lint (production profile, offline), antsibull-changelog lint
	@bash $(STEPS) --label "make lint" ruff yamllint ansible-lint changelog

sanity: setup ## ansible-test sanity (no ignore file; offline from get-pip)
	@bash $(STEPS) --label "make sanity" sanity

unit: setup ## pytest: tests/unit and tests/integration (except the build test)
	@bash $(STEPS) --label "make unit" unit

build: setup ## Build the collection tarball into build/ and test the installed tarball
	@bash $(STEPS) --label "make build" build

molecule: setup ## Molecule scenarios on QEMU VMs (scripts/molecule/run-all.sh)
	@bash $(STEPS) --label "make molecule" molecule

clean: ## Remove build outputs (keeps .venv and the collection link)
	rm -rf build/sanity build/*.tar.gz build/tmp tests/output .pytest_cache .ruff_cache

# ---------------------------------------------------------------------------------------------
# Area targets (added by the areas that own them)

# --- lab, bench, docs ---
.PHONY: lab lab-fresh lab-down bench bench-node-prep docs

lab: setup ## The main job: 3 QEMU VMs, site.yml end to end twice (2nd must be changed=0), summary table
	@.venv/bin/python scripts/lab/lab.py run

lab-fresh: setup ## Like `make lab`, but the VMs start from new disks (stops running lab VMs first)
	@.venv/bin/python scripts/lab/lab.py run --fresh

lab-down: ## Stop exactly the lab's VMs (PID files under build/lab/vms)
	@python3 scripts/lab/lab.py down

bench: bench-inventory bench-node-prep ## Benchmarks: inventory plugin, node preparation on fresh VMs (ratios, no asserts)

bench-node-prep: setup ## Node preparation on 3 fresh VMs: first vs second run wall time, tasks per host
	@.venv/bin/python scripts/bench/bench_node_prep.py

docs: setup ## Regenerate the role pages and READMEs, the README role table and the docsite's extra docs
	@.venv/bin/python scripts/docs/gen_role_docs.py
	@"$$(bash scripts/setup/extra_venv.sh docs)/bin/python" scripts/docs/gen_extra_docs.py

.PHONY: importer docsite floor sanity-pythons

floor: setup ## Unit and localhost functional tests on ansible-core 2.18 with the dependency floors
	@bash $(STEPS) --label "make floor" floor

sanity-pythons: setup ## ansible-test compile/import sanity on managed-node Pythons 3.8-3.13 (3.12: make sanity)
	@bash $(STEPS) --label "make sanity-pythons" sanity-pythons

importer: build ## galaxy-importer (Galaxy's import checks, offline) on the built tarball
	@bash $(STEPS) --label "make importer" importer

docsite: setup ## antsibull-docs lint-collection-docs and the docsite (build/docsite/build/html)
	@bash $(STEPS) --label "make docsite" docs

# --- sakuracloud inventory ---
.PHONY: bench-inventory

bench-inventory: setup ## Inventory plugin on 10,000 servers from the API double: ratios vs static JSON, delay, cache
	@.venv/bin/python scripts/bench/bench_inventory.py

# --- kube_scheduler ---
.PHONY: test-kube-scheduler

test-kube-scheduler: setup ## kube_scheduler: unit tests and integration tests (health double, Rancher API double)
	@.venv/bin/pytest -p no:cacheprovider tests/unit/plugins/module_utils/kube_scheduler tests/unit/plugins/modules/test_kube_scheduler_kubeadm.py tests/unit/plugins/modules/test_kubeadm_cluster_config.py tests/unit/plugins/modules/test_rke_cluster_yml.py tests/unit/plugins/modules/test_rke2_scheduler_config.py tests/unit/plugins/filter/test_kube_scheduler.py tests/unit/plugins/modules/test_rancher_v2_cluster_scheduler.py tests/integration/kube_scheduler
