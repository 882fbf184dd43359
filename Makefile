# Quick start: `make pdf` builds solutions/solutions.pdf (the submission) and
# solutions/solutions-extended.pdf; `make test` runs every check.  Both set up
# what they need: a virtual environment with the pinned packages and, when it
# is missing, TeX Live (Debian packages when run as root, else a message).
#
# The student's details come from submission.toml; for one build only:
#   make pdf AUTHOR="Jane Doe" STUDENT_ID=123456 GROUP=B01-234 DATE="6 December 2026"

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The interpreter is part of the environment's identity: another PYTHON rebuilds .venv.
PYTHON_ID := $(shell $(PYTHON) -c 'import sys; print(sys.version.split()[0], sys.executable)' 2>/dev/null)
STAMP := $(VENV)/.installed-$(shell (echo "$(PYTHON_ID)"; cat requirements.txt) | sha256sum | cut -c1-12)
BUILD_FLAGS ?=
export AUTHOR STUDENT_ID GROUP DATE
DETAILS := $(if $(AUTHOR),--author "$$AUTHOR") $(if $(STUDENT_ID),--student-id "$$STUDENT_ID") \
	$(if $(GROUP),--group "$$GROUP") $(if $(DATE),--date "$$DATE")

# Debian packages: TeX Live for the PDFs; poppler-utils, chktex and qpdf for the tests.
TEX_PACKAGES := latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended texlive-science lmodern
TEX_FILES := placeins.sty amsthm.sty mathtools.sty siunitx.sty cleveref.sty natbib.sty microtype.sty \
	booktabs.sty longtable.sty lmodern.sty plainnat.bst xr-hyper.sty
# Cyrillic names: the T2A encoding and its Type 1 fonts, installed only when a name needs them.
CYRILLIC_PACKAGES := texlive-lang-cyrillic cm-super-minimal
CYRILLIC_FILES := t2aenc.def sfrm1000.pfb
TEST_PACKAGES := poppler-utils chktex qpdf
TEST_PROGRAMS := pdftotext pdffonts pdfinfo chktex qpdf

.PHONY: pdf dist test mutate bench clean tex cyrillic test-tools venv readme-image

pdf: venv tex
	$(PY) build.py $(DETAILS) $(BUILD_FLAGS)

dist: venv tex
	$(PY) build.py dist $(DETAILS) $(BUILD_FLAGS)

# The tests typeset a Cyrillic name, so they need the Cyrillic fonts whatever submission.toml says.
test: venv tex test-tools
	@$(MAKE) --no-print-directory cyrillic NEED_CYRILLIC=yes
	$(PY) -m pytest

mutate: venv tex
	$(PY) tests/mutation/run.py

bench: venv tex
	$(PY) tests/bench.py

# The page shown in README.md (re-run after the document changes).
README_PAGE ?= 2
readme-image: pdf
	mkdir -p .readme
	pdftoppm -png -r 60 -f $(README_PAGE) -l $(README_PAGE) -singlefile solutions/solutions.pdf .readme/page

clean:
	@if [ -x $(PY) ]; then $(PY) build.py clean; else echo "nothing to clean (no .venv)"; fi

venv: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "make: $(PYTHON) is not Python 3.11 or newer ($$($(PYTHON) --version 2>&1)); the project needs 3.11+." >&2; \
		echo "      Run e.g. 'make pdf PYTHON=python3.11' with a newer interpreter." >&2; exit 1; }
	@if [ -d $(VENV) ] && [ "$$(cat $(VENV)/.interpreter 2>/dev/null)" != "$(PYTHON_ID)" ]; then \
		echo "removing $(VENV): it was made by another interpreter, or its set-up did not finish"; \
		rm -rf $(VENV); fi
	@if [ ! -x $(PY) ]; then \
		echo "creating $(VENV) with $(PYTHON) ($(PYTHON_ID)); installing requirements.txt takes about 20 s"; \
		$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
		echo "$(PYTHON_ID)" > $(VENV)/.interpreter; \
	else echo "updating $(VENV) to requirements.txt"; fi
	@$(PY) -m pip install --disable-pip-version-check --quiet --requirement requirements.txt \
		|| { echo "make: installing requirements.txt failed; .venv is left incomplete and will be rebuilt next time" >&2; \
		     rm -f $(VENV)/.interpreter; exit 1; }
	@rm -f $(VENV)/.installed-*
	@touch $@

# Install with apt-get when we may; otherwise say exactly what to run.
define apt_ensure
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian packages: $(1)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(1) >/dev/null || exit 1; \
	else \
		echo "missing: $(2). Install it with: sudo apt-get install $(1)" >&2; \
		echo "(or TeX Live from https://tug.org/texlive/ on systems without apt-get)" >&2; \
		exit 1; \
	fi
endef

tex:
	@missing=""; \
	for p in latexmk pdflatex bibtex kpsewhich; do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then for f in $(TEX_FILES); do [ -n "$$(kpsewhich $$f)" ] || missing="$$missing $$f"; done; fi; \
	if [ -n "$$missing" ]; then $(call apt_ensure,$(TEX_PACKAGES),TeX Live ($$missing)); fi
	@$(MAKE) --no-print-directory cyrillic

# Needed when submission.toml or a detail given to make holds a Cyrillic letter.
cyrillic:
	@need="$(NEED_CYRILLIC)"; \
	if [ -z "$$need" ] && printf '%s %s %s %s\n' "$$AUTHOR" "$$STUDENT_ID" "$$GROUP" "$$DATE" \
		| cat - submission.toml 2>/dev/null | LC_ALL=C.UTF-8 grep -qP '[\x{0400}-\x{04FF}]'; then need=yes; fi; \
	if [ -n "$$need" ]; then missing=""; \
		for f in $(CYRILLIC_FILES); do [ -n "$$(kpsewhich $$f)" ] || missing="$$missing $$f"; done; \
		if [ -n "$$missing" ]; then $(call apt_ensure,$(CYRILLIC_PACKAGES),Cyrillic fonts for LaTeX ($$missing)); fi; \
	fi

test-tools:
	@missing=""; \
	for p in $(TEST_PROGRAMS); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(call apt_ensure,$(TEST_PACKAGES),test tools ($$missing)); fi
