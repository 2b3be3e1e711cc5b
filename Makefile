# The two commands a reader needs: `make book` and `make test` (both do all set-up).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Bytecode is cached while make runs, even where the environment sets PYTHONDONTWRITEBYTECODE:
# `make test` starts about a hundred interpreters and kernels that import this package (and pytest
# rewrites its test modules in each worker); compiling them afresh in each cost about 12 % of the
# CPU of the whole-book test runs (measured on tests/test_full_run.py: 85 -> 74 CPU-s). The
# caches are the usual __pycache__/ folders beside the sources (ignored by git); the
# installed packages' are written at set-up for the modules the book and tests import
# (tools/precompile.py), and for any other where it is first imported.
unexport PYTHONDONTWRITEBYTECODE
# NumPy's AVX-512 loops (its own exp and log) would change the calibration's last bits, and so
# its path, on a processor that has AVX-512: everything make starts runs with them off, as
# `import analysis` sets where NumPy is not yet loaded (names already set are kept; x86-64 only,
# elsewhere NumPy knows no such targets; analysis/numerics.py). The calibration calls no BLAS,
# so OPENBLAS_CORETYPE is left as the machine sets it.
# glibc picks its exp and log by the processor when a process starts: its FMA variants round
# some results the other way, and with them the same code wrote another cohort. Everything make
# starts runs its SSE2 variants, which data/cohort.csv was made with (other items of the
# variable kept; `python -m analysis` starts itself again with them where they are missing).
ifneq ($(filter x86_64 amd64 AMD64,$(shell uname -m)),)
AVX512_DISPATCH := X86_V4 AVX512_ICL AVX512_SPR
export NPY_DISABLE_CPU_FEATURES := $(strip $(filter-out $(AVX512_DISPATCH),$(NPY_DISABLE_CPU_FEATURES)) $(AVX512_DISPATCH))
LIBM_TUNABLE := glibc.cpu.hwcaps=-FMA,-FMA4
export GLIBC_TUNABLES := $(subst $(eval) ,:,$(strip $(filter-out $(LIBM_TUNABLE),$(subst :, ,$(GLIBC_TUNABLES))) $(LIBM_TUNABLE)))
endif
# OpenBLAS on one thread in everything make starts (the book's chapter kernels, nbval's, the
# tests'; a setting given is kept): its helper threads spin while they wait, and with both cores
# busy, as in `make test`, the small products of the Cox fits (chapters 07 and 09) cost several
# times their work (tests/conftest.py sets the same for `pytest` run alone, with the figures).
# The matrices are a few dozen rows: one thread loses nothing, and the goldens are the same bytes.
export OPENBLAS_NUM_THREADS ?= 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
# FORCE=1 executes every chapter again (CI does this): clears the execution cache.
FORCE ?=
NAME ?=
COHORT ?= data/cohort.csv
PARAMS ?=

.PHONY: help setup book pdf test test-ensemble unit dask browser nbval goldens chapter report lint format chromium bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'
	@echo "  variables: FORCE=1 (re-execute everything), NAME=05-response (chapter/report), COHORT=path, PARAMS='-p key=value'"

$(STAMP): requirements.txt pyproject.toml tools/ipython_kernel_config.py tools/lock_halves.py tools/precompile.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# The lock is complete (pip check below proves it), so no resolver is needed, and its pins
	@# install as two halves side by side: pip unpacks and compiles on one core (~40 s alone).
	@# The halves carry about equal work (tools/lock_halves.py: scipy, pandas, statsmodels and
	@# playwright are not all in one). Every line of the lock must be a pin (an option line
	@# would be lost in the split).
	@! grep -vE '^[A-Za-z0-9][A-Za-z0-9._-]*==[^ ]+$$|^[[:space:]]*(#.*)?$$' requirements.txt
	$(PYTHON) tools/lock_halves.py requirements.txt $(VENV)/lock-a.txt $(VENV)/lock-b.txt
	@# both halves always finish before make goes on, and either one failing fails set-up.
	@# --no-compile: pip would byte-compile all 10,000 installed modules (~20 CPU-s); the
	@# third of them that the book and the tests import are compiled by importing them, two
	@# processes side by side (tools/precompile.py): ~7 CPU-s less; fresh-clone set-up wall
	@# time unchanged (24 s: the pip halves 19 -> 12 s, the precompiling 5 s).
	$(BIN)/python -m pip install --quiet --no-compile --no-deps -r $(VENV)/lock-a.txt & a=$$!; \
	  rb=0; $(BIN)/python -m pip install --quiet --no-compile --no-deps -r $(VENV)/lock-b.txt || rb=$$?; \
	  ra=0; wait $$a || ra=$$?; test $$ra -eq 0 && test $$rb -eq 0
	@# setuptools' generic 'Editable installation' tip is not a problem of this project: filtered by its text
	PYTHONWARNINGS='ignore:Editable installation:UserWarning' $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python tools/precompile.py a & a=$$!; $(BIN)/python tools/precompile.py b; wait $$a
	@# kernels of this venv drop ipykernel's local-TCP notice (tools/ipython_kernel_config.py)
	mkdir -p $(VENV)/etc/ipython && cp tools/ipython_kernel_config.py $(VENV)/etc/ipython/
	$(BIN)/python -m pip check  # the lock satisfies pyproject.toml's declared dependencies
	@touch $@

setup: $(STAMP) ## create .venv from requirements.txt (done by book/test when missing)

book: $(STAMP) ## execute every chapter and build the static HTML into _build/html
	@if [ -n "$(FORCE)" ]; then rm -rf _build/.jupyter_cache; fi
	$(BIN)/jupyter-book build . $(JB_FLAGS) $(if $(FORCE),--all,)
	@echo "Book: $(CURDIR)/_build/html/index.html"

# fonts-wqy-microhei (1.6 MB; 5 MB installed): Korean and Chinese glyphs. Chapter 10's validator
# message names codings it does not read ("남/여", "男/女"); without such a font the PDFs printed
# them as empty boxes (fonts-noto-cjk would be 57 MB). fontconfig: the fc-list the check runs.
chromium: ## install Debian's chromium (browser tests, PDF), poppler-utils and a CJK font when missing
	@{ command -v chromium && command -v pdftoppm && fc-list :lang=ko | grep -q . && fc-list :lang=zh | grep -q .; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fontconfig fonts-wqy-microhei >/dev/null; }

# PDF_BASE_URL: where the book is published (https://…/); each handout prints its page's address
# there (without it no address: what a handout leaves out is named by the HTML book's chapter
# and section)
pdf: $(STAMP) chromium ## print each chapter and the whole book to _build/pdf/ (from _build/html)
	@test -f _build/html/index.html || { echo "no _build/html: run 'make book' first" >&2; exit 2; }
	$(BIN)/python tools/pdf.py --html _build/html --out _build/pdf $(if $(PDF_BASE_URL),--base-url "$(PDF_BASE_URL)")

# Two test workers (pytest-xdist) on two cores: each worker's start (imports, collecting the
# tests and doctests) costs CPU, and since the ensemble left the unit job no worker waits on
# another process (measured when the unit job held 2,939 tests, fresh clone: 288.9 s with two
# workers, 294.3 s with three, 303.9 s with four, at nice 10). Slow tests are marked but run, the longest first (tests/conftest.py). nbval keeps
# each notebook's cells on one worker (--dist loadfile).
XDIST := -n 2 --dist loadgroup

# `make test` keeps both cores busy: the book's build runs one chapter kernel at a time, so the
# tests that do not need the built book (`unit`), the ensemble on the book's seed (`dask`, one
# process) and nbval (which executes the golden notebooks itself) run beside it; once the book is
# built, its browser tests (`browser`: one process, one tour of the pages) follow. Each part's
# output is printed in one block when it ends (--output-sync). Only the browser tests need
# Debian's chromium: on a machine without it, its installing (apt-get: mostly waiting on the
# download, 69 s alone here, 33 CPU-s) runs from the start beside the set-up and the tests, not
# before them. Lint runs first after set-up (AFTER_LINT: the parts wait for it, so a lint error
# stops the run at once); `make unit` and the others alone do not lint.
test: ## set up, build the book, run every test (unit, doctests, layers, goldens, nbval, browser, lint)
	$(MAKE) --no-print-directory -j5 --output-sync=target AFTER_LINT=lint UNIT_MARKS="$(UNIT_MARKS) and not dask_job" chromium lint unit dask browser nbval

AFTER_LINT :=
unit dask nbval book: | $(AFTER_LINT)

# Only the files that mark tests `book` are collected (importing every test module to deselect
# all but these cost ~4.5 CPU-s).
browser: $(STAMP) chromium book ## build the book, then its browser tests (pytest -m book)
	$(BIN)/python -m pytest -m book $$(grep -l 'mark\.book' tests/test_*.py)

# The 2-member Dask run (`two_seeds`: a second seed's full calibration, ~140 CPU-s for both) runs
# here only; `make test` runs the book's seed alone on a one-worker cluster (~50 CPU-s), which
# the 2-member run's member 0 repeats, so that test is left out here.
test-ensemble: $(STAMP) ## the ensemble tests, with the 2-member Dask run that `make test` leaves out
	$(BIN)/python -m pytest tests/test_ensemble.py -q -m "not dask_job"

# The unit tests yield some CPU (nice) to the single processes beside them in `make test` (the
# book's build, then its browser tests; the ensemble), which would otherwise get a third of a core
# against the workers. Alone, `make unit` runs as fast as before. Measured on a fresh clone with
# 2,939 tests, two workers: nice 5 286.8 s (the book's chain done at 259 s), nice 10 288.9 s (done at 233 s). With 3,774 tests
# (a later release): nice 5 319.5 s (the book's chain done at 265 s, 55 s before the unit tests),
# nice 2 315.9 s (done at 283 s, 33 s before): the two chains end closer together.
UNIT_NICE := nice -n 2

UNIT_MARKS := not book and not two_seeds

unit: $(STAMP) ## unit tests and doctests only (no book, no nbval, no browser)
	$(UNIT_NICE) $(BIN)/python -m pytest $(XDIST) --doctest-modules analysis tests -m "$(UNIT_MARKS)"

# In `make test` the ensemble on the book's seed (one Dask worker, ~50 CPU-s, one process) runs as
# a job of its own, not niced: inside the niced unit job it was starved by the book's build and
# browser tests and ran 245 s, the unit job's long pole (fresh clone 310.9 s).
dask: $(STAMP) ## the ensemble on the book's seed on a one-worker Dask cluster (a job of its own in `make test`)
	$(BIN)/python -m pytest tests/test_ensemble.py -m dask_job -q

# Each golden notebook runs in a kernel of its own, forked from one process per test worker that
# has imported what the chapters import (conftest.py, tests/kernel_fork.py; HAIC_FRESH_KERNELS=1
# starts fresh ones): 223 cells on two workers, 42.7 -> 28.1 CPU-s on a busy machine, 31.3 -> 22.1
# on a quiet one (wall 24.0 -> 18.6 s).
nbval: $(STAMP) ## regression-test the golden notebooks
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg chapters

goldens: $(STAMP) ## re-execute every chapter into its golden notebook (chapters/NN-x.ipynb)
	$(BIN)/python tools/goldens.py $(if $(NAME),$(NAME),)

chapter: $(STAMP) ## execute one chapter (NAME=05-response) into reports/dev/ (never into chapters/)
	@test -n "$(NAME)" || { echo "usage: make chapter NAME=05-response" >&2; exit 2; }
	$(BIN)/python -m analysis run --chapters $(NAME) --out reports/dev/$(NAME) --force $(PARAMS)

report: $(STAMP) ## re-execute the book on COHORT into reports/NAME (PARAMS='-p key=value')
	@test -n "$(NAME)" || { echo "usage: make report NAME=mine COHORT=path/to.csv" >&2; exit 2; }
	$(BIN)/python -m analysis run --cohort $(COHORT) --out reports/$(NAME) $(PARAMS)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP) ## ruff format and autofix
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(STAMP) ## measure the performance budget into bench/results.md
	bash tools/bench.sh

clean: ## remove the build (keeps .venv and reports/: delete a report folder yourself)
	rm -rf _build
