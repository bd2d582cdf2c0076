"""Helpers of the benchmark: figures, timing, the results table and the cached demo workspace."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
FULL_SIZE = 10_000  # the workspace size the budgets of DESIGN.md section 8 are given for


@dataclass
class Figure:
    """One measured figure beside its bare reference; values in seconds or megabytes."""

    name: str
    samples: list[float]
    budget: float | None = None
    reference_name: str = ""
    reference: list[float] = field(default_factory=list)
    unit: str = "s"  # "s" or "MB"
    on: str = "median"  # the statistic compared with the budget and the reference: median or p95
    note: str = ""
    ratio_budget: float | None = None  # a budget on the ratio to the reference (2.0: "≤ 2×")

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float | None:
        return percentile(self.samples, 95) if len(self.samples) >= 5 else None

    @property
    def headline(self) -> float:
        return self.p95 if self.on == "p95" and self.p95 is not None else self.median

    @property
    def reference_headline(self) -> float | None:
        if not self.reference:
            return None
        ref_p95 = percentile(self.reference, 95) if len(self.reference) >= 5 else None
        return (
            ref_p95
            if self.on == "p95" and ref_p95 is not None
            else statistics.median(self.reference)
        )

    @property
    def ratio(self) -> float | None:
        reference = self.reference_headline
        return self.headline / reference if reference else None

    @property
    def verdict(self) -> str:
        """OVER when the figure is over its budget, or over its ratio to the reference
        (a figure may have both: "≤ 20 s and ≤ 5×")."""
        checks: list[bool] = []
        if self.ratio_budget is not None and self.ratio is not None:
            checks.append(self.ratio <= self.ratio_budget)
        if self.budget is not None:
            checks.append(self.headline <= self.budget)
        if not checks:
            return "info"
        return "OK" if all(checks) else "OVER"

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(median=self.median, p95=self.p95, ratio=self.ratio, verdict=self.verdict)
        return data


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile, interpolated between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def time_each(call: Callable[[object], object], items: Iterable[object]) -> list[float]:
    return [timed(lambda item=item: call(item)) for item in items]  # type: ignore[misc]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the results table ------------------------------------------------------------------


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1_000_000:.0f} µs"


def table(figures: list[Figure], notes: list[str]) -> str:
    header = ("figure", "median", "p95", "budget", "reference", "ref", "ratio", "")
    rows = [header]
    for f in figures:
        ratio = f"×{f.ratio:.1f}" if f.ratio is not None else "—"
        limits = []
        if f.budget:
            limits.append(f"{f.on if f.on == 'p95' else ''} ≤ {fmt(f.budget, f.unit)}".strip())
        if f.ratio_budget:
            limits.append(f"≤ {f.ratio_budget:g}× ref")
        budget = ", ".join(limits) or "—"
        rows.append(
            (
                f.name,
                fmt(f.median, f.unit),
                fmt(f.p95, f.unit),
                budget,
                f.reference_name or "—",
                fmt(f.reference_headline, f.unit),
                ratio,
                f.verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 2, 5, 6}
    lines = []
    for number, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.extend(f"  * {note}" for note in notes)
    lines.extend(f"  * {f.name}: {f.note}" for f in figures if f.note)
    return "\n".join(lines)


# -- the cached demo workspace ----------------------------------------------------------


# The code that writes a demo workspace: when it changes, the demo is timed again (the
# cached workspace is kept: the same seed gives the same content).
DEMO_CODE = (
    "advisor_app/services/demo.py",
    "advisor_app/services/demo_data.py",
    "advisor_app/services/demo_diary.py",
    "advisor_app/storage/bulk_cases.py",
    "advisor_app/storage/indexer.py",
)


def build_workspace(cache: Path, cases: int, seed: int) -> float | None:
    """Generate the demo workspace in `cache` unless it is there; the seconds it took, if built."""
    if (cache / "workspace.sqlite").exists():
        return None
    partial = cache.with_name(cache.name + ".partial")
    say(f"Generating a {cases}-case demo workspace in {cache} (once; it is cached)...")
    elapsed = _generate(partial, cases, seed)
    partial.rename(cache)
    return elapsed


def _generate(folder: Path, cases: int, seed: int) -> float:
    """Generate a demo workspace in `folder` (made anew); the seconds it took."""
    from advisor_app.services import Services
    from advisor_app.services.demo import generate_demo

    shutil.rmtree(folder, ignore_errors=True)
    services = Services.open(folder)
    start = time.perf_counter()
    try:
        for step in generate_demo(services, cases, seed):
            if step.done % max(1, cases // 10) == 0 and step.done:
                say(f"  {step.done}/{step.total} cases, {time.perf_counter() - start:.0f} s")
        return time.perf_counter() - start
    finally:
        services.close()


def demo_code_version() -> str:
    digest = hashlib.sha256()
    for name in DEMO_CODE:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def demo_timing(cache: Path, built_in: float | None, cases: int, seed: int) -> tuple[float, str]:
    """The generation time of a demo workspace of this size, by today's demo code, and where
    it comes from: this workspace's generation, or a generation timed again in a scratch
    folder when the demo's code changed since (remembered in .bench/demo-timing.json; the
    code versions in .bench/demo-code.json)."""
    store, codes_store = BENCH_DIR / "demo-timing.json", BENCH_DIR / "demo-code.json"
    timings: dict[str, float] = json.loads(store.read_text()) if store.exists() else {}
    codes: dict[str, str] = json.loads(codes_store.read_text()) if codes_store.exists() else {}
    version = demo_code_version()
    if built_in is not None:
        timings[cache.name] = built_in  # also the mark of this workspace (bench_encryption)
        codes[cache.name] = version
        note = "measured when the cached workspace was generated"
    elif codes.get(cache.name) == version and cache.name in timings:
        return timings[cache.name], "measured when the cached workspace was generated (earlier run)"
    elif codes.get(f"{cache.name} timed again") == version:
        return timings[f"{cache.name} timed again"], "timed again in a scratch folder (earlier run)"
    else:
        scratch = BENCH_DIR / "demo-timing-scratch"
        say(f"The demo's code changed since {cache.name} was made: timing a {cases}-case demo...")
        try:
            timings[f"{cache.name} timed again"] = _generate(scratch, cases, seed)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        codes[f"{cache.name} timed again"] = version
        note = "timed again in a scratch folder (the demo's code changed since the cache was made)"
    store.write_text(json.dumps(timings, indent=2) + "\n")
    codes_store.write_text(json.dumps(codes, indent=2) + "\n")
    return timings[cache.name if built_in is not None else f"{cache.name} timed again"], note


def search_queries(count: int = 50, seed: int = 7) -> list[str]:
    """Varied queries as an advisor types them: names, accents, project words, places, pairs."""
    from advisor_app.services import demo_data as data

    rng = random.Random(seed)
    fixed = [
        "boul",
        "vélo",
        "maraîch",
        "Guéret",
        "23000",
        "bio",
        "coiffure domicile",
        "tiers-lieu",
        "Lefèvre",
        "Müller",
        "Cœur",
        "N'Diaye",
        "épicerie vrac",
        "pizza",
        "ma",
        "zz",
    ]
    first = [name.split("-")[0] for name in rng.sample(data.WOMEN + data.MEN, 10)]
    last = rng.sample([n for n in data.LAST_NAMES if not n.isascii()], 6)
    places = [commune for commune, _ in rng.sample(data.COMMUNES, 6)]
    codes = [code for _, code in rng.sample(data.COMMUNES, 3)]
    pairs = [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(5)]
    pairs += [f"{rng.choice(places)} {word}" for word in ("boulangerie", "vélos", "gîte", "savon")]
    queries = fixed + first + last + places + codes + pairs
    return queries[:count]
