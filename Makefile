# Boussole: two commands, `make run` and `make test`; each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench i18n catalogues system-tools screenshots package package-check \
	clean-venv

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory catalogues
	touch $(STAMP)

# The compiled .mo beside each .po (a wheel compiles its own: see setup.py).
catalogues:
	$(BIN)/pybabel compile -d translations --use-fuzzy 2>/dev/null || \
		$(BIN)/pybabel compile -d translations

# System tools some tests use (poppler's pdftoppm, the desktop-file and AppStream validators,
# PHP and sabre/dav for the team folder's second WebDAV server): installed when missing and
# possible (root with apt); otherwise those tests are skipped with a sentence naming the
# package. Each is command:package, or /path:package for a library.
SYSTEM_TOOLS := pdftoppm:poppler-utils desktop-file-validate:desktop-file-utils \
	appstreamcli:appstream php:php-cli /usr/share/php/Sabre:php-sabre-dav
system-tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do tool=$${pair%%:*}; \
		case $$tool in /*) test -e $$tool ;; *) command -v $$tool >/dev/null ;; esac \
			|| missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else echo "Not installed:$$missing (the tests that need them are skipped)"; fi; \
	fi

run: $(STAMP)
	$(BIN)/python -m advisor_app

test: $(STAMP) system-tools
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check advisor_app tests scripts packaging resources translations setup.py
	$(BIN)/mypy advisor_app
	$(BIN)/lint-imports

# `make bench CASES=100000` for the scale run (not in CI): budgets of DESIGN.md section 8.
CASES ?= 10000
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/bench.py --cases $(CASES)

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --width 100 \
		--project=Boussole -o translations/messages.pot advisor_app
	for lang in fr en; do test -f translations/$$lang/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i translations/messages.pot -d translations -l $$lang; done
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python scripts/i18n_english.py translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d translations --statistics

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

# A one-folder desktop bundle in dist/Boussole (PyInstaller), with its licences and the
# Linux release archive; packaging/README.md says how the Windows installer is built.
package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[package]'
	$(BIN)/python packaging/build.py

package-check: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/check_bundle.py dist/Boussole

clean-venv:
	rm -rf $(VENV)
