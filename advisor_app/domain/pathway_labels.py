"""Labels of the shipped pathway templates, listed so that `pybabel extract` finds them.

`resources/pathways/*.json` hold these same English labels; a test checks they match.
"""

from advisor_app.domain.messages import N_

SHIPPED_PATHWAY_LABELS: tuple[str, ...] = (
    N_("Standard business creation pathway"),
    N_("Welcome"),
    N_("Diagnosis"),
    N_("Market study"),
    N_("Business model and forecast"),
    N_("Legal form"),
    N_("Financing"),
    N_("Committee"),
    N_("Registration"),
    N_("Start of activity"),
    N_("Follow-up at 6 months"),
    N_("Follow-up at 1 year"),
    N_("Follow-up at 2 years"),
    N_("Follow-up at 3 years"),
)
