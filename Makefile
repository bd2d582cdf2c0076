# Boussole: two commands, `make run` and `make test`; each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench i18n screenshots clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m advisor_app

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check advisor_app tests scripts
	$(BIN)/mypy advisor_app/domain advisor_app/storage advisor_app/services advisor_app/i18n
	$(BIN)/lint-imports

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/bench.py

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project=Boussole -o translations/messages.pot advisor_app
	for lang in fr en; do test -f translations/$$lang/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i translations/messages.pot -d translations -l $$lang; done
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/i18n_english.py translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d translations --statistics

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

clean-venv:
	rm -rf $(VENV)
