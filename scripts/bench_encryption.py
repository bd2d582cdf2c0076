"""Encryption at rest figures (issue 6): an encrypted copy of the demo workspace against the plain one.

The copy is made once (shutil.copytree of the cached workspace, then the handler of
`advisor-app encrypt --passphrase-file F`) and cached in .bench/ws-<cases>-seed<seed>-encrypted/;
the time it took goes to .bench/demo-timing.json beside the demo's. Each encrypted open is
made as a user starting the application would: passphrase in, key derived, catalog
reconciled; then the services are closed (the key goes with them) before the next.
Plain and encrypted runs alternate, so that the load of a shared machine falls on both.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_core import BENCH_DIR, FULL_SIZE, Figure, say, search_queries, timed

from advisor_app.services import CaseFilter, Services
from advisor_app.services.workspace_lock import is_encrypted, key_from_passphrase
from advisor_app.storage.encryption import ITERATIONS
from advisor_app.storage.sqlite_engine import looks_like_sqlite

PASSPHRASE = "benchmark passphrase, not a secret"
# Which re-keying made the cached copy: a copy made by an older one is made again, so that
# the figure is today's. 2: copies without journal or sync of their own, resumable (issue 14)
ENCRYPTION_CODE = 2.0
OPENS = 5
TIMINGS = BENCH_DIR / "demo-timing.json"


def encrypted_path(root: Path) -> Path:
    return root.with_name(f"{root.name}-encrypted")


def _timings() -> dict[str, float]:
    return json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}


def _remember(values: dict[str, float]) -> None:
    timings = _timings()
    timings.update(values)
    TIMINGS.write_text(json.dumps(timings, indent=2) + "\n")


def encrypt_like_the_cli(folder: Path, passphrase: str) -> None:
    """`advisor-app --workspace FOLDER encrypt --passphrase-file F`, run in this process."""
    from advisor_app.cli.common import CommandContext
    from advisor_app.cli.trust_commands import run_encrypt

    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as scratch:
        secret = Path(scratch) / "passphrase.txt"
        secret.write_text(passphrase + "\n", encoding="utf-8")
        context = CommandContext(folder, language_chosen=True)
        try:
            with contextlib.redirect_stdout(sys.stderr):  # its sentence is not a figure
                code = run_encrypt(context, argparse.Namespace(new_passphrase_file=secret))
        finally:
            context.close()
    if code != 0:
        raise RuntimeError(f"encrypt ended with exit code {code}")


def build_encrypted_copy(root: Path) -> Path:
    """The encrypted copy of `root`, made (and timed) unless it is cached."""
    target = encrypted_path(root)
    timings = _timings()
    # the demo's generation time stands for the plain workspace it was copied from
    source = timings.get(root.name)
    cached = is_encrypted(target) and (target / "workspace.sqlite").exists()
    fresh = (source is None or timings.get(f"{target.name} from") == source) and timings.get(
        f"{target.name} by"
    ) == ENCRYPTION_CODE
    if cached and fresh and not (target / "rekey.json").exists():
        return target
    partial = target.with_name(f"{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    say(f"Making an encrypted copy of the workspace in {target} (once; it is cached)...")
    copy_s = timed(lambda: shutil.copytree(root, partial))
    encrypt_s = timed(lambda: encrypt_like_the_cli(partial, PASSPHRASE))
    partial.rename(target)

    def first_open() -> None:
        Services.open(target, passphrase=PASSPHRASE).close()

    first_open_s = timed(first_open)
    say(f"  copy {copy_s:.0f} s, encrypt {encrypt_s:.0f} s, first open {first_open_s:.1f} s")
    _remember(
        {
            target.name: encrypt_s,
            f"{target.name} copy": copy_s,
            f"{target.name} first open": first_open_s,
            f"{target.name} by": ENCRYPTION_CODE,
            **({f"{target.name} from": source} if source is not None else {}),
        }
    )
    return target


def _alternate(
    plain: list[float],
    encrypted: list[float],
    items: list[object],
    run_plain: Callable[[object], object],
    run_encrypted: Callable[[object], object],
) -> None:
    """Time each item on the plain workspace, then on the encrypted one, in turn."""
    for item in items:
        plain.append(timed(lambda: run_plain(item)))  # noqa: B023 - called at once
        encrypted.append(timed(lambda: run_encrypted(item)))  # noqa: B023


def bench_encryption(
    root: Path,
    plain: Services,
    case_ids: list[str],
    figures: list[Figure],
    cases: int = FULL_SIZE,
) -> list[str]:
    target = build_encrypted_copy(root)
    notes: list[str] = []
    leaks = [
        p.name
        for p in [target / "workspace.sqlite", *sorted((target / "cases").glob("*.case"))[:20]]
        if looks_like_sqlite(p)
    ]
    if leaks:
        notes.append(f"encryption: files of the copy are still plain SQLite: {', '.join(leaks)}")
    timings = _timings()
    if target.name in timings:
        figures.append(
            Figure(
                "encrypt the workspace (advisor-app encrypt)",
                [timings[target.name]],
                budget=90.0 * cases / FULL_SIZE,
                note="measured once when the encrypted copy was made (re-keys every file); "
                f"the copy itself took {timings.get(f'{target.name} copy', float('nan')):.0f} s, "
                "the first open after encrypting "
                f"{timings.get(f'{target.name} first open', float('nan')):.1f} s.",
            )
        )

    figures.append(
        Figure(
            f"derive the key (PBKDF2-SHA256, {ITERATIONS:,} rounds)",
            [timed(lambda: key_from_passphrase(target, PASSPHRASE)) for _ in range(3)],
            note="paid once per encrypted open, inside the figure below.",
        )
    )

    def open_plain(_: object) -> None:
        Services.open(root).close()

    def open_encrypted(_: object) -> None:
        services = Services.open(target, passphrase=PASSPHRASE)
        services.close()

    open_plain(None)  # warm the file caches of both, as after any earlier start
    open_encrypted(None)
    plain_opens: list[float] = []
    encrypted_opens: list[float] = []
    _alternate(plain_opens, encrypted_opens, list(range(OPENS)), open_plain, open_encrypted)
    figures.append(
        Figure(
            "open encrypted workspace",
            encrypted_opens,
            ratio_budget=2.0,
            reference_name="open workspace (plain)",
            reference=plain_opens,
            note=f"Services.open(passphrase=...) + close, {OPENS} opens alternating with "
            "the plain one; includes the key derivation.",
        )
    )

    encrypted = Services.open(target, passphrase=PASSPHRASE)
    try:
        queries = search_queries()
        encrypted.cases.get(case_ids[0])
        encrypted.search.cases(CaseFilter(text="warm up"))
        plain_cases: list[float] = []
        enc_cases: list[float] = []
        _alternate(
            plain_cases,
            enc_cases,
            list(case_ids),
            lambda c: plain.cases.get(str(c)),
            lambda c: encrypted.cases.get(str(c)),
        )
        figures.append(
            Figure(
                f"encrypted: open a case, {len(case_ids)} cases",
                enc_cases,
                budget=0.060,
                on="p95",
                reference_name="the same, plain",
                reference=plain_cases,
            )
        )
        plain_search: list[float] = []
        enc_search: list[float] = []
        _alternate(
            plain_search,
            enc_search,
            list(queries),
            lambda q: plain.search.cases(CaseFilter(text=str(q))),
            lambda q: encrypted.search.cases(CaseFilter(text=str(q))),
        )
        figures.append(
            Figure(
                f"encrypted: search, {len(queries)} queries",
                enc_search,
                budget=0.030 if cases <= FULL_SIZE else 0.050,
                on="p95",
                reference_name="the same, plain",
                reference=plain_search,
            )
        )
        plain_all: list[float] = []
        enc_all: list[float] = []
        _alternate(
            plain_all,
            enc_all,
            list(range(5)),
            lambda _: plain.search.cases(CaseFilter()),
            lambda _: encrypted.search.cases(CaseFilter()),
        )
        figures.append(
            Figure(
                "encrypted: list all cases (empty search)",
                enc_all,
                reference_name="the same, plain",
                reference=plain_all,
            )
        )
    finally:
        encrypted.close()
    return notes


if __name__ == "__main__":  # quick look on its own: python scripts/bench_encryption.py [ROOT]
    from bench import sample_cases
    from bench_core import table

    base = Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH_DIR / f"ws-{FULL_SIZE}-seed1"
    base = base.resolve()
    found: list[Figure] = []
    services = Services.open(base)
    try:
        extra = bench_encryption(base, services, sample_cases(services, 30), found)
    finally:
        services.close()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {base}")
    print(table(found, extra))
