# Quick start: `make pdf` builds solutions/solutions.pdf, `make test` runs every check.
# Both set up what they need: a virtual environment with the pinned packages and,
# when it is missing, TeX Live (Debian packages when run as root, else a message).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
BUILD_FLAGS ?=

# Debian packages: TeX Live for the PDF; poppler-utils and chktex for the tests.
TEX_PACKAGES := latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended texlive-science lmodern
TEST_PACKAGES := poppler-utils chktex qpdf
TEX_FILES := placeins.sty amsthm.sty mathtools.sty siunitx.sty cleveref.sty natbib.sty microtype.sty \
	booktabs.sty longtable.sty lmodern.sty plainnat.bst
TEST_PROGRAMS := pdftotext pdffonts pdfinfo chktex qpdf

.PHONY: pdf test bench clean tex test-tools venv readme-image

pdf: venv tex
	$(PY) build.py $(BUILD_FLAGS)

test: venv tex test-tools
	$(PY) -m pytest

bench: venv tex
	$(PY) tests/bench.py

# The page shown in README.md (re-run after the document changes).
README_PAGE ?= 29
readme-image: pdf
	mkdir -p .readme
	pdftoppm -png -r 60 -f $(README_PAGE) -l $(README_PAGE) -singlefile solutions/solutions.pdf .readme/page

clean:
	@if [ -x $(PY) ]; then $(PY) build.py clean; fi

venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
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

test-tools:
	@missing=""; \
	for p in $(TEST_PROGRAMS); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(call apt_ensure,$(TEST_PACKAGES),test tools ($$missing)); fi
