"""ICP AGIR's demo cooperation plan: Cape Town's, written with its mentor Rotterdam after the
study visit of February 2023, submitted, commented on by Rotterdam's officer and approved by
Cape Town's supervisor before the closing conference (illustrative, our own words). It goes
through the same steps as CITIES-GROW's plans (``demo._seed_plan``); registered by
``actionplans.demo``, it leaves a pairing that has a plan as it is."""

from datetime import date
from decimal import Decimal

from accounts.demo import DemoRun
from mentoring.models import Pairing

from .models import ActionPlan, Stage

# mentor, implementing: the plan, in the shape of demo.PLANS.
PLANS = {
    ("Rotterdam", "Cape Town"): {
        "stage": Stage.APPROVED,
        "title": "Reused building materials in Cape Town's public works",
        "context": (
            "Building and demolition waste is the largest stream reaching Cape Town's landfills. "
            "In Rotterdam we saw tenders that ask for reused materials and a register of what "
            "demolition sites can give."
        ),
        "objectives": (
            "From 2023, one public works contract a year asks for reused materials.\n"
            "A register of materials from the city's own demolitions is kept and used."
        ),
        "actions": [
            {
                "title": "Pilot tender with reused materials",
                "description": "One housing works tender sets a share of reused bricks and steel.",
                "lead_department": "Human Settlements",
                "partners": "Supply Chain Management\nCity of Rotterdam (advice)",
                "starts_on": date(2023, 4, 1),
                "ends_on": date(2023, 12, 31),
                "cost": Decimal("45000.00"),
                "funding_source": "City budget",
                "commitments": [11, 12],
            },
        ],
        "indicators": [
            {
                "name": "Public works contracts asking for reused materials",
                "kind": "output",
                "unit": "contracts a year",
                "baseline": Decimal(0),
                "target": Decimal(1),
            },
        ],
        "risks": [],
        "local_group": [
            ("City of Cape Town, Human Settlements", "public"),
            ("Western Cape construction industry association", "business"),
        ],
    },
}

DATES = {
    "Cape Town": {
        "drafted": (2023, 2, 20),
        "submitted": (2023, 3, 6),
        "approved": (2023, 3, 20),
    },
}


def seed_agir_plans(run: DemoRun) -> int:
    from .demo import _seed_plan  # the steps CITIES-GROW's plans go through

    made = 0
    for (mentor, implementing), data in PLANS.items():
        pairing = (
            Pairing.objects.filter(
                scheme__programme=run.made["agir"],
                mentor__name=mentor,
                implementing__name=implementing,
            )
            .select_related("scheme__programme", "mentor", "implementing")
            .first()
        )
        if pairing is None or ActionPlan.objects.filter(pairing=pairing).exists():
            continue
        _seed_plan(pairing, data)
        made += 1
    return made
