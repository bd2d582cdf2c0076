"""Spreadsheet import figures (issue 15, point 8): 10,000 rows imported in under 30 s.

A tracker of ROWS people is made once in .bench/import/, as Excel saves "CSV (séparateur :
point-virgule)": Windows-1252, a title line and a blank line above the header, dates as
03/02/1985, amounts as "8 000,00 €" with no-break spaces, a note per row with a semicolon
and a line break inside quotes. Each run imports it into a fresh scratch workspace (made
and removed in .bench/import/), the way `advisor-app import-sheet FILE` does: the file read
into records, the plan (who is new, who is known), then the batch (a backup, the case files,
the catalog, the batch's record).

Timed, in the same run:
- the import (read, plan, write), against its budget: 30 s for 10,000 rows;
- its first reference: reading the file alone (the same records, nothing written);
- the writing alone (plan and batch) beside the same rows inserted by raw sqlite3 into one
  table of one file (one executemany, one transaction): the floor of writing them anywhere;
- the same file imported again (everyone known, nothing to change: read and plan only).
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench_core import BENCH_DIR, FULL_SIZE, Figure, say, table, timed

from advisor_app.services import Services
from advisor_app.services import demo_data as names
from advisor_app.services.sheet_import import ImportPlan
from advisor_app.sheets.records import SheetRecords

BUDGET_S = 30.0  # for FULL_SIZE rows
HEADER = (
    "Nom;Prénom;Date de naissance;E-mail;Tél.;Adresse;Code postal;Commune;Projet;Secteur;"
    "Date 1er RDV;Prêt d'honneur;Observations"
)
NBSP = "\u00a0"


def tracker_file(rows: int, seed: int = 11) -> Path:
    """The tracker of `rows` people (made once, then kept)."""
    folder = BENCH_DIR / "import"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"suivi-{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(seed)
    lines = ["Suivi des porteurs de projet", "", HEADER]
    first_day = date(2023, 1, 2)
    for number in range(rows):
        woman = rng.random() < 0.5
        first = rng.choice(names.WOMEN if woman else names.MEN)
        last = rng.choice(names.LAST_NAMES).upper()
        commune, postcode = rng.choice(names.COMMUNES)
        title, _description, sector = rng.choice(names.PROJECTS)
        born = date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        met = first_day + timedelta(days=rng.randint(0, 900))
        loan = rng.choice(["", "NC", f"{rng.randint(2, 15)}{NBSP}000,00{NBSP}€"])
        note = f'"Orienté par {rng.choice(names.REFERRERS)} ; à relancer.\r\nDossier n° {number}"'
        lines.append(
            ";".join(
                (
                    last,
                    first,
                    born.strftime("%d/%m/%Y"),
                    f"porteur{number}@exemple.fr",
                    f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
                    f"{rng.randint(1, 40)} rue de la Mairie",
                    postcode,
                    commune,
                    title,
                    sector,
                    met.strftime("%d/%m/%Y"),
                    loan,
                    note,
                )
            )
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def raw_insert(records: SheetRecords, folder: Path) -> float:
    """The same rows into one table of one SQLite file, by raw sqlite3: the floor."""
    path = folder / "raw.sqlite"
    rows = [
        (
            p.last_name,
            p.first_name,
            p.birth_date.isoformat() if p.birth_date else None,
            p.email,
            p.phone,
            p.address,
            p.postcode,
            p.commune,
            p.project_title,
            p.sector,
            p.first_appointment.isoformat() if p.first_appointment else None,
            p.honour_loan_cents,
            "\n".join(p.notes),
        )
        for p in records.people
    ]

    def insert() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(
            "CREATE TABLE person (last_name TEXT, first_name TEXT, birth_date TEXT, email TEXT, "
            "phone TEXT, address TEXT, postcode TEXT, commune TEXT, project TEXT, sector TEXT, "
            "first_appointment TEXT, honour_loan_cents INTEGER, notes TEXT)"
        )
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO person VALUES ({', '.join('?' * 13)})", rows)
        connection.execute("COMMIT")
        connection.close()

    return timed(insert)


def bench_import(figures: list[Figure], rows: int = FULL_SIZE) -> list[str]:
    notes: list[str] = []
    path = tracker_file(rows)
    scratch = BENCH_DIR / "import" / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        services = Services.open(scratch / "workspace")
        try:
            importer = services.sheet_import
            records: list[SheetRecords] = []
            read_s = timed(lambda: records.append(importer.read_file(path)))
            plans: list[ImportPlan] = []
            start = time.perf_counter()
            plans.append(importer.plan(importer.read_file(path)))
            batch = importer.apply(plans[0])
            import_s = time.perf_counter() - start
            write_s = import_s - read_s
            again_s = timed(lambda: plans.append(importer.plan(importer.read_file(path))))
            plan, again = plans
            if batch.cases_created != len(plan.created) or again.created or again.updated:
                notes.append(
                    f"import FAILURE: {batch.cases_created} cases created for "
                    f"{len(plan.created)} planned; again: {len(again.created)} new, "
                    f"{len(again.updated)} updated"
                )
        finally:
            services.close()
        raw_s = raw_insert(records[0], scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    budget = BUDGET_S * rows / FULL_SIZE
    refused = len(plan.refusals)
    figures.append(
        Figure(
            f"import-sheet, {rows} rows (CSV)",
            [import_s],
            budget=budget,
            reference_name="reading the file alone",
            reference=[read_s],
            note=f"read, plan and batch into an empty workspace: {len(plan.created)} cases with "
            f"{plan.notes} notes and {plan.honour_loans} honour loans, {refused} values refused; "
            f"{path.stat().st_size / 1e6:.1f} MB of Windows-1252 CSV.",
        )
    )
    figures.append(
        Figure(
            f"import-sheet, {rows} rows: the writing",
            [write_s],
            reference_name="the same rows by raw sqlite3",
            reference=[raw_s],
            note="plan and batch (a backup first, one case file per person, the catalog, the "
            "batch's record) beside one executemany into one table of one file.",
        )
    )
    figures.append(
        Figure(
            f"import-sheet, {rows} rows again (nothing to change)",
            [again_s],
            reference_name="reading the file alone",
            reference=[read_s],
            note=f"every person recognised: {again.unchanged} unchanged; nothing is written.",
        )
    )
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=FULL_SIZE, help=f"rows of the tracker ({FULL_SIZE})"
    )
    args = parser.parse_args(argv)
    BENCH_DIR.mkdir(exist_ok=True)
    found: list[Figure] = []
    say("Spreadsheet import (scratch workspace)...")
    extra = bench_import(found, args.rows)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, spreadsheet import ({platform.node()})")
    print(table(found, extra))
    return 0


if __name__ == "__main__":  # on its own: python scripts/bench_import.py [--rows N]
    sys.exit(main())
