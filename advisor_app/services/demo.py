"""A realistic demo workspace, the same for the same seed (for trying out and benchmarks).

Appointments are booked in the advisor's diary (`demo_diary.Diary`): office hours on
weekdays, a lunch break, a few a day, never two at once; a bigger demo than one advisor's
caseload shares its cases between colleagues, each with a diary of their own.

The cases are written as a spreadsheet import writes them (`storage.bulk_cases`: rows with
plain statements, no ORM object), put on disk together and indexed together, a batch at a
time: ten thousand cases in well under a minute.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    ConsentScope,
    FinancingSide,
    FundingDecision,
    Gender,
    Outcome,
    Situation,
)
from advisor_app.services import demo_data as data
from advisor_app.services.context import pathway_template
from advisor_app.services.demo_diary import Diary, advisor_of
from advisor_app.storage.bulk_cases import settle, write_new_case_file
from advisor_app.storage.case_models import (
    Appointment,
    CaseBase,
    CaseInfo,
    Consent,
    FinancingLineRow,
    ForecastLine,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
    new_id,
)
from advisor_app.storage.indexer import IndexData
from advisor_app.storage.workspace import Progress

if TYPE_CHECKING:
    from advisor_app.services import Services

BATCH = 250  # cases written, put on disk and indexed together
Row = dict[str, Any]
Rows = dict[type[CaseBase], list[Row]]
_MODES = (
    [AppointmentMode.OFFICE] * 5
    + [AppointmentMode.THIRD_PLACE] * 2
    + [AppointmentMode.HOME, AppointmentMode.PHONE, AppointmentMode.VIDEO]
)
_MINUTES = (30, 45, 60, 60, 90, 90, 120)
_SITUATIONS = (
    [Situation.JOB_SEEKER] * 5
    + [Situation.MINIMUM_INCOME] * 2
    + [Situation.EMPLOYEE, Situation.STUDENT, Situation.OTHER]
)


def generate_demo(services: Services, cases: int, seed: int = 1) -> Iterator[Progress]:
    """Create `cases` demo case files; yields progress. Deterministic for a given seed."""
    rng = random.Random(seed)
    workspace = services.workspace
    today = services.context.today()
    programmes = services.settings.programmes
    _name_who_prints(services)
    advisor = services.settings.advisor_name
    names = data.WOMEN + data.MEN
    diaries: dict[str, Diary] = {}
    yield Progress(0, cases)
    for first in range(1, cases + 1, BATCH):
        numbers = range(first, min(first + BATCH, cases + 1))
        pending: list[IndexData] = []
        with workspace.sharing():  # no re-keying or restore while files are written
            for number in numbers:
                follows = advisor_of(number, advisor, names, data.LAST_NAMES)
                diary = diaries.setdefault(follows, Diary(today))
                case_id = new_id()
                rows = _demo_case(rng, case_id, today, follows, diary, programmes)
                pending.append(
                    write_new_case_file(
                        workspace.cases_dir,
                        workspace.key,
                        case_id,
                        rows,
                        action="demo",
                        advisor=advisor,
                        at=workspace.clock(),
                    )
                )
            # on disk before the catalog names them, synced once for the batch
            settle([workspace.case_path(item.case_id) for item in pending])
            workspace.index_many(pending, "demo", advisor)
        yield Progress(numbers[-1], cases)


def _name_who_prints(services: Services) -> None:
    """A demo workspace prints like a real one: an organisation and an advisor head every
    page of its reports. Names the advisor already set are kept."""
    for key, value in (("organisation", data.ORGANISATION), ("advisor_name", data.ADVISOR)):
        if not str(services.settings.get(key) or "").strip():
            services.settings.set(key, value)


def _demo_case(
    rng: random.Random,
    case_id: str,
    today: date,
    advisor: str,
    diary: Diary,
    programmes: list[str],
) -> Rows:
    """The rows of one case file, table by table (its `case_info` row at revision 0: the
    writer gives it the first)."""
    woman = rng.random() < 0.52
    first = rng.choice(data.WOMEN if woman else data.MEN)
    last = rng.choice(data.LAST_NAMES)
    commune, postcode = rng.choice(data.COMMUNES)
    title, description, sector = rng.choice(data.PROJECTS)
    opened_on = today - timedelta(days=rng.randint(0, 3 * 365))
    age = rng.randint(19, 62)
    birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    template = pathway_template()
    targets = template.target_dates(opened_on)
    elapsed = (today - opened_on).days
    progress_speed = rng.uniform(0.7, 1.4)
    closed = elapsed > 400 and rng.random() < (0.35 if elapsed < 700 else 0.8)
    outcome = None
    closed_on = None
    if closed:
        outcome = rng.choice(
            [Outcome.BUSINESS_CREATED] * 5
            + [Outcome.ABANDONED, Outcome.EMPLOYMENT, Outcome.REDIRECTED]
        )
        closed_on = min(today, opened_on + timedelta(days=rng.randint(200, max(201, elapsed))))
    end_of_follow = closed_on or today
    now = datetime.combine(today, time(12))
    rows: Rows = {
        CaseInfo: [
            {
                "id": case_id,
                "status": (CaseStatus.CLOSED if closed else CaseStatus.ACTIVE).value,
                "opened_on": opened_on,
                "closed_on": closed_on,
                "outcome": outcome.value if outcome else None,
                "advisor": advisor,
                "created_at": datetime.combine(opened_on, time(9)),
                "updated_at": now,
            }
        ],
        Person: [
            {
                "first_name": first,
                "last_name": last,
                "birth_date": birth,
                "gender": (Gender.WOMAN if woman else Gender.MAN).value,
                "email": f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@exemple.fr",
                "phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "address": f"{rng.randint(1, 40)} rue de la Mairie",
                "postcode": postcode,
                "commune": commune,
                "situation": rng.choice(_SITUATIONS).value,
                "referred_by": rng.choice(data.REFERRERS),
                "priority_neighbourhood": commune in data.URBAN_COMMUNES and rng.random() < 0.2,
                "rural_area": commune not in data.URBAN_COMMUNES,
                "training": data.TRAINING,
                "experience": data.EXPERIENCE,
                "motivation": data.MOTIVATION,
                "household": data.HOUSEHOLD,
            }
        ],
        Project: [
            {
                "title": title,
                "description": description,
                "sector": sector,
                "legal_form": rng.choice(data.LEGAL_FORMS),
                "planned_start": targets["start"],
                "expected_jobs": rng.choice([1, 1, 1, 2, 3]),
                "market_and_offer": "Clientèle locale identifiée ; deux concurrents dans un rayon de 30 km.",
                "advisor_opinion": "Projet réaliste, porteuse ou porteur motivé, plan de financement équilibré.",
                "customer_days": 30,
                "stock_days": 15,
                "supplier_days": 30,
                "strengths": data.STRENGTHS,
                "vigilance": data.VIGILANCE,
            }
        ],
        Consent: [
            {
                "scope": ConsentScope.PROCESSING.value,
                "given_on": opened_on,
                "how": "Formulaire signé",
                "recorded_by": advisor,
            }
        ],
        Milestone: [],
        Note: [],
    }
    done_position = -1
    for position, milestone in enumerate(template.milestones):
        due = opened_on + timedelta(days=int(milestone.offset_days * progress_speed))
        done_on = (
            due
            if due <= end_of_follow and rng.random() < 0.97 and done_position == position - 1
            else None
        )
        if done_on is not None:
            done_position = position
        if outcome in (Outcome.ABANDONED, Outcome.EMPLOYMENT, Outcome.REDIRECTED) and position > 4:
            done_on = None
        rows[Milestone].append(
            {
                "key": milestone.key,
                "label": milestone.label,
                "position": position,
                "target_on": targets[milestone.key],
                "done_on": done_on,
            }
        )
    rows[Appointment] = _appointments(rng, diary, opened_on, closed, end_of_follow, now, programmes)
    if done_position >= 4:
        rows.update(_financing(rng, opened_on, today))
    for _ in range(rng.randint(0, 3)):
        rows[Note].append(
            {
                "written_at": datetime.combine(
                    opened_on + timedelta(days=rng.randint(0, 60)), time(17)
                ),
                "text": rng.choice(data.NOTES),
            }
        )
    return rows


def _appointments(
    rng: random.Random,
    diary: Diary,
    opened_on: date,
    closed: bool,
    end_of_follow: date,
    now: datetime,
    programmes: list[str],
) -> list[Row]:
    """Every two to four weeks while the project takes shape, then every two to four months,
    at the times the advisor's diary has free; one more in a slot someone else cancelled."""
    rows: list[Row] = []
    busy: set[date] = set()
    day = opened_on
    last_day = end_of_follow + timedelta(days=30)
    while day <= last_day:
        if (closed and day > end_of_follow) or day > now.date() + timedelta(days=45):
            break
        minutes = rng.choice(_MINUTES)
        start = diary.book(day, minutes, rng)
        gap = rng.randint(10, 28) if (day - opened_on).days < 220 else rng.randint(60, 120)
        if start is not None and closed and start > now:
            diary.cancel(start, minutes, offer=False)
        elif start is not None:
            status = _status(rng, start, now)
            if status is AppointmentStatus.PLANNED and diary.cancels_in_advance(start, now, rng):
                status = AppointmentStatus.CANCELLED
            if status is AppointmentStatus.CANCELLED:
                diary.cancel(start, minutes)
            busy.add(start.date())
            rows.append(_appointment(rng, start, minutes, status, opened_on, programmes))
        day += timedelta(days=gap)
    until = end_of_follow if closed else now.date() + timedelta(days=45)
    freed = diary.take_freed(opened_on, until, busy)
    if freed is not None:
        status = _status(rng, freed.start, now)
        if status is AppointmentStatus.CANCELLED:  # once is enough for a slot
            status = AppointmentStatus.DONE
        rows.append(_appointment(rng, freed.start, freed.minutes, status, opened_on, programmes))
    return rows


def _status(rng: random.Random, start: datetime, now: datetime) -> AppointmentStatus:
    if start >= now:
        return AppointmentStatus.PLANNED
    roll = rng.random()
    if roll < 0.86:
        return AppointmentStatus.DONE
    return AppointmentStatus.CANCELLED if roll < 0.94 else AppointmentStatus.NO_SHOW


def _appointment(
    rng: random.Random,
    start: datetime,
    minutes: int,
    status: AppointmentStatus,
    opened_on: date,
    programmes: list[str],
) -> Row:
    mode = rng.choice(_MODES)
    done = status is AppointmentStatus.DONE
    return {
        "start": start,
        "minutes": minutes,
        "mode": mode.value,
        "place": _place(mode, rng),
        "topic": rng.choice(data.TOPICS),
        "summary": rng.choice(data.SUMMARIES) if done else "",
        "next_actions": rng.choice(data.NEXT_ACTIONS) if done else "",
        "status": status.value,
        "programme": (programmes[0 if (start.date() - opened_on).days < 200 else -1])
        if programmes
        else "",
        "counts_in_reports": rng.random() < 0.97,
    }


def _financing(rng: random.Random, opened_on: date, today: date) -> Rows:
    lines: list[Row] = []
    requests: list[Row] = []
    forecast: list[Row] = []
    needs = rng.sample(data.NEEDS, rng.randint(2, 4))
    amounts = [rng.randint(10, 150) * 10_000 for _ in needs]
    for position, (label, cents) in enumerate(zip(needs, amounts, strict=True)):
        lines.append(
            {
                "side": FinancingSide.NEED.value,
                "label": label,
                "amount_cents": cents,
                "position": position,
            }
        )
    total = sum(amounts)
    contribution = total // 5
    funders = rng.sample(data.FUNDERS, 2)
    loan = total - contribution
    first_part = loan // 2
    shares = [
        ("Apport personnel", contribution),
        (funders[0][0], first_part),
        (funders[1][0], loan - first_part),
    ]
    balanced = rng.random() < 0.85
    for offset, (label, cents) in enumerate(shares):
        if not balanced and offset == 2:
            cents -= rng.randint(1, 30) * 10_000
        lines.append(
            {
                "side": FinancingSide.RESOURCE.value,
                "label": label,
                "amount_cents": max(cents, 0),
                "position": len(needs) + offset,
            }
        )
    committee = opened_on + timedelta(days=160 + rng.randint(-10, 30))
    for (funder, kind), (_label, cents) in zip(funders, shares[1:], strict=True):
        decided = committee <= today
        decision = FundingDecision.PENDING
        granted = 0
        if decided:
            decision = rng.choice(
                [FundingDecision.GRANTED] * 4
                + [FundingDecision.PARTIALLY_GRANTED, FundingDecision.REFUSED]
            )
            granted = (
                cents
                if decision is FundingDecision.GRANTED
                else cents // 2
                if decision is FundingDecision.PARTIALLY_GRANTED
                else 0
            )
        requests.append(
            {
                "funder": funder,
                "kind": kind,
                "amount_asked_cents": cents,
                "committee_on": committee,
                "decision": decision.value,
                "amount_granted_cents": granted,
                **data.LOAN_TERMS.get(kind, {}),
            }
        )
    turnover = rng.randint(25, 120) * 100_000
    for year in (1, 2, 3):
        growth = 1 + 0.15 * (year - 1)
        t = round(turnover * growth, -4)
        items = {
            "turnover": t,
            "purchases": int(t * 0.35),
            "external_charges": int(t * 0.15),
            "taxes": int(t * 0.02),
            "salaries": 0 if year == 1 else int(t * 0.1),
            "owner_pay": int(t * 0.2),
            "social_charges": int(t * 0.09),
            "depreciation": total // 5,
            "loan_interest": int(loan * 0.03 / year),
        }
        forecast.extend(
            {"year": year, "item": item, "amount_cents": round(cents, -2)}
            for item, cents in items.items()
        )
    return {FinancingLineRow: lines, FundingRequest: requests, ForecastLine: forecast}


def _place(mode: AppointmentMode, rng: random.Random) -> str:
    if mode is AppointmentMode.OFFICE:
        return "Bureau de l'association, Guéret"
    if mode is AppointmentMode.THIRD_PLACE:
        return rng.choice(["Tiers-lieu La Quincaillerie, Guéret", "Tiers-lieu de Felletin"])
    if mode is AppointmentMode.HOME:
        return "Domicile"
    return ""


def _ascii(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")
