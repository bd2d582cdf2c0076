"""Committee file: the project as a funder's committee reads it, for one funding request.

What an honour-loan or France Active committee expects, in the order it reads: what is
still missing and what to check, the request and its loan terms, the holder, the project,
the financing plan, the forecast with its intermediate balances and repayment capacity,
the working capital need, the advisor's assessment and formal recommendation, and a place
to date and sign. A field left empty is listed on the first page, never printed as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from babel.numbers import format_percent
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.platypus import KeepTogether, Table, TableStyle  # type: ignore[import-untyped]

from advisor_app.domain.activity import age_on
from advisor_app.domain.enums import Recommendation, Situation
from advisor_app.domain.financing import (
    LOAN_KINDS,
    Loan,
    loan_of,
    rate_of,
)
from advisor_app.i18n import (
    _,
    format_date,
    format_money,
    label,
    ngettext,
    situation_label,
    using_language,
)
from advisor_app.i18n.formatting import babel_locale
from advisor_app.reports.committee_checks import CommitteeReview, review
from advisor_app.reports.committee_figures import (
    differences_section,
    forecast_section,
    known_facts,
    plan_section,
    repayment_sentences,
    to_complete,
    working_capital_section,
)
from advisor_app.reports.document import (
    ALERT,
    CONTENT_WIDTH,
    LIGHT,
    RULE,
    Flowable,
    Styles,
    data_table,
    gap,
    heading,
    long_text,
    para,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import CaseSource, FundingSource, PageFrame

MISSING_BACKGROUND = colors.HexColor("#fbeae8")
CHECK_BACKGROUND = colors.HexColor("#fdf3dc")


def write_committee_file(
    case: CaseSource,
    path: Path,
    frame: PageFrame,
    funding_id: str | None = None,
    password: str | None = None,
) -> Path:
    with using_language(frame.language):
        request = chosen_request(case.funding, funding_id)
        story = committee_story(case, request, frame, Styles())
        title = f"{_('Committee file')} – {case.person.display_name}"
        return write_pdf(path, story, frame, title, password=password)


def chosen_request(
    requests: Sequence[FundingSource], funding_id: str | None
) -> FundingSource | None:
    """The request named, else the pending one whose committee meets first (one with no
    date yet after those with one), else the last one (None if none)."""
    if funding_id is not None:
        return next((f for f in requests if f.id == funding_id), None)
    pending = [f for f in requests if f.decision.value == "pending"]
    if pending:
        return min(pending, key=lambda f: (f.committee_on is None, f.committee_on or date.min))
    return requests[-1] if requests else None


def committee_story(
    case: CaseSource, request: FundingSource | None, frame: PageFrame, styles: Styles
) -> list[Flowable]:
    person, project = case.person, case.project
    checked = review(case, request)
    parts = (person.display_name, project.title.strip(), request.funder if request else "")
    story: list[Flowable] = title_block(
        _("Committee file"), " – ".join(p for p in parts if p), styles
    )
    story += _first_page_boxes(checked, styles)
    story.append(heading(_("Funding requested"), styles))
    story += _request_section(request, case.funding, styles)
    story.append(heading(_("Project holder"), styles))
    story += _holder_section(case, frame, styles)
    story.append(heading(_("Project"), styles))
    story += _project_section(case, styles)
    story.append(heading(_("Financing plan"), styles))
    story += plan_section(case.plan, styles)
    story += differences_section(case, styles)
    story.append(heading(_("Forecast and intermediate management balances"), styles))
    story += forecast_section(case.forecast, styles, checked.cover)
    story += repayment_sentences(checked, styles)
    story.append(heading(_("Working capital need"), styles))
    story += working_capital_section(case, checked, styles)
    story.append(heading(_("Advisor's assessment"), styles))
    story += _assessment_section(case, styles)
    story.append(_recommendation_and_signature(case, request, frame, styles))
    return story


# -- the first page: what is missing, what to check ---------------------------------------


def _first_page_boxes(checked: CommitteeReview, styles: Styles) -> list[Flowable]:
    boxes: list[Flowable] = []
    if checked.missing:
        rows = [(part, "\n".join(fields)) for part, fields in checked.missing]
        boxes += [
            _box(_("To complete before the committee"), rows, MISSING_BACKGROUND, styles),
            gap(),
        ]
    if checked.to_check:
        rows = [("", point) for point in checked.to_check]
        boxes += [_box(_("Points to check"), rows, CHECK_BACKGROUND, styles), gap()]
    return boxes


def _box(
    title: str, rows: Sequence[tuple[str, str]], background: object, styles: Styles
) -> Flowable:
    """A framed list under its title, one row per item, that may split across pages."""
    title_style = ParagraphStyle("box_title", parent=styles.cell_bold, textColor=ALERT)
    labelled = any(part for part, _item in rows)
    data: list[list[Flowable]] = [[para(title, title_style)] + ([""] if labelled else [])]
    for part, item in rows:
        cells = [para(part, styles.cell_bold)] if labelled else []
        data.append([*cells, para(item, styles.cell)])
    widths = [4.6 * cm, CONTENT_WIDTH - 4.6 * cm] if labelled else [CONTENT_WIDTH]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1, ALERT),
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, ALERT),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if labelled:
        commands.append(("SPAN", (0, 0), (-1, 0)))
    table.setStyle(TableStyle(commands))
    return table


def _texts(texts: Sequence[tuple[str, str]], styles: Styles) -> list[Flowable]:
    """Prose fields under their caption, as paragraphs that split across pages."""
    caption_style = ParagraphStyle(
        "caption", parent=styles.body, fontName=styles.bold, spaceBefore=6, keepWithNext=1
    )
    flowables: list[Flowable] = []
    for caption, value in texts:
        if value.strip():
            flowables += [para(caption, caption_style), long_text(value, styles)]
    return flowables


# -- the request ---------------------------------------------------------------------------


def _months(count: int) -> str:
    return ngettext("{n} month", "{n} months", count).format(n=count)


def _rate(basis_points: int) -> str:
    if basis_points == 0:
        return _("interest-free")
    return format_percent(basis_points / 10_000, "#,##0.00 %", locale=babel_locale())


def _payment(loan: Loan) -> str:
    return _("{amount} a month for {months}, from month {first}").format(
        amount=format_money(loan.monthly_payment),
        months=_months(loan.repayment_months),
        first=loan.deferral_months + 1,
    )


def _request_section(
    request: FundingSource | None, requests: Sequence[FundingSource], styles: Styles
) -> list[Flowable]:
    if request is None:
        return [to_complete(styles)]
    rows: list[tuple[str, object]] = [
        (_("Funder"), request.funder),
        (_("Kind"), label(request.kind)),
        (_("Amount requested"), _positive_money(request.amount_asked_cents)),
    ]
    if request.kind in LOAN_KINDS:
        rows += _loan_rows(request)
    rows.append((_("Committee date"), request.committee_on))
    decision = label(request.decision)
    if request.decision.value in ("granted", "partially_granted"):
        decision = _("{decision}: {amount}").format(
            decision=decision, amount=format_money(request.amount_granted_cents)
        )
    rows.append((_("Decision"), decision))
    flowables = known_facts(rows, styles)
    others = [f for f in requests if f is not request]
    if others:
        flowables += [
            gap(),
            para(_("Other funding requests of the project"), styles.cell_bold),
            gap(2),
        ]
        widths = [4.6 * cm, 3.0 * cm, 2.8 * cm, 2.6 * cm]
        widths.insert(3, CONTENT_WIDTH - sum(widths))
        flowables.append(
            data_table(
                [_("Funder"), _("Kind"), _("Asked"), _("Terms"), _("Decision")],
                [
                    [
                        f.funder,
                        label(f.kind),
                        format_money(f.amount_asked_cents),
                        _short_terms(f),
                        label(f.decision),
                    ]
                    for f in others
                ],
                widths,
                styles,
                right=frozenset({2}),
            )
        )
    return flowables


def _loan_rows(request: FundingSource) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    if request.term_months is not None:
        rows.append(
            (
                _("Length"),
                _("{months}, deferral included").format(months=_months(request.term_months)),
            )
        )
    if request.deferral_months is not None:
        rows.append(
            (
                _("Deferral"),
                _months(request.deferral_months) if request.deferral_months else _("none"),
            )
        )
    rate = rate_of(request)
    if rate is not None:
        rows.append((_("Yearly rate"), _rate(rate)))
    loan = loan_of(request)
    if loan is not None:
        rows.append((_("Monthly payment"), _payment(loan)))
    return rows


def _short_terms(request: FundingSource) -> str:
    loan = loan_of(request)
    if loan is None:
        return ""
    return _("{months}, {amount} a month").format(
        months=_months(loan.term_months), amount=format_money(loan.monthly_payment)
    )


def _positive_money(cents: int) -> str:
    return format_money(cents) if cents > 0 else ""


# -- the holder and the project ------------------------------------------------------------


def _holder_section(case: CaseSource, frame: PageFrame, styles: Styles) -> list[Flowable]:
    person = case.person
    other = person.situation is Situation.OTHER
    facts = known_facts(
        [
            (_("Project holder"), person.display_name),
            (_("Age"), _age_text(person.birth_date, frame.printed_at.date())),
            # "other" says nothing to a committee, and is what a new case starts with
            (_("Situation"), "" if other else situation_label(person.situation, person.gender)),
            (_("Commune"), " ".join(p for p in (person.postcode, person.commune) if p)),
            (_("Referred by"), person.referred_by),
            (_("Accompanied since"), case.opened_on),
        ],
        styles,
    )
    return facts + _texts(
        [
            (_("Training"), person.training),
            (_("Professional experience"), person.experience),
            (_("Motivation"), person.motivation),
            (_("Household situation"), person.household),
        ],
        styles,
    )


def _age_text(birth: date | None, on: date) -> str:
    if birth is None:
        return ""
    return _("{years} years (born on {date})").format(
        years=age_on(birth, on), date=format_date(birth)
    )


def _project_section(case: CaseSource, styles: Styles) -> list[Flowable]:
    project = case.project
    facts: list[tuple[str, object]] = [
        (_("Project"), project.title.strip()),
        (_("Sector"), project.sector),
        (_("Legal form"), project.legal_form),
        (_("Planned start"), project.planned_start),
    ]
    if any(value for _caption, value in facts):  # else the count is only the default one
        facts.append((_("Jobs expected (holder included)"), str(project.expected_jobs)))
    flowables = known_facts(facts, styles)
    flowables += _texts(
        [
            (_("Description"), project.description),
            (_("Market and offer"), project.market_and_offer),
        ],
        styles,
    )
    return flowables or [to_complete(styles)]


# -- the assessment, the recommendation and the signature ----------------------------------


def _assessment_section(case: CaseSource, styles: Styles) -> list[Flowable]:
    project = case.project
    texts = _texts(
        [
            (_("Strengths"), project.strengths),
            (_("Points of vigilance"), project.vigilance),
            (_("Advisor's opinion"), project.advisor_opinion),
        ],
        styles,
    )
    return texts or [to_complete(styles)]


def recommendation_text(recommendation: Recommendation | None, cents: int | None) -> str:
    """The formal opinion as a committee minutes it: "Favourable opinion for €8,000.00"."""
    amount = format_money(cents) if cents is not None else None
    if recommendation is Recommendation.FAVOURABLE:
        if amount is None:
            return _("Favourable opinion")
        return _("Favourable opinion for {amount}").format(amount=amount)
    if recommendation is Recommendation.FAVOURABLE_WITH_RESERVATIONS:
        if amount is None:
            return _("Favourable opinion with reservations")
        return _("Favourable opinion with reservations, for {amount}").format(amount=amount)
    if recommendation is Recommendation.UNFAVOURABLE:
        return _("Unfavourable opinion")
    return ""


def _recommendation_and_signature(
    case: CaseSource, request: FundingSource | None, frame: PageFrame, styles: Styles
) -> Flowable:
    project = case.project
    sentence = recommendation_text(project.recommendation, project.recommended_amount_cents)
    strong = ParagraphStyle(
        "recommendation", parent=styles.body, fontName=styles.bold, fontSize=12, leading=15
    )
    lines: list[Flowable] = [heading(_("Recommendation"), styles)]
    if sentence:
        lines.append(para(sentence, strong))
        asked = request.amount_asked_cents if request else 0
        recommended = project.recommended_amount_cents
        if recommended is not None and asked and recommended != asked:
            lines.append(
                para(
                    _("The request is for {amount}.").format(amount=format_money(asked)),
                    styles.body,
                )
            )
    else:
        lines.append(to_complete(styles))
    lines += [gap(0.5 * cm), _signature_area(case, frame, styles)]
    return KeepTogether(lines)


def _signature_area(case: CaseSource, frame: PageFrame, styles: Styles) -> Flowable:
    """Date, name and a blank box to sign, filled by hand where nothing was typed."""
    advisor = case.advisor.strip() or frame.advisor.strip()
    signed_on = format_date(case.project.opinion_signed_on)
    third = CONTENT_WIDTH / 3
    data = [
        [
            para(_("Date"), styles.cell_bold),
            para(_("Advisor"), styles.cell_bold),
            para(_("Signature"), styles.cell_bold),
        ],
        [para(signed_on, styles.cell), para(advisor, styles.cell), ""],
    ]
    table = Table(data, colWidths=[third] * 3, rowHeights=[None, 2.6 * cm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table
