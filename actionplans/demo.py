"""Demo action plans of CITIES-GROW: each of the eight demo pairings' implementing cities has a
plan, each at a different stage of the workflow, so that every page of the issue has something
to show (the programme dashboard shows all eight at a glance).

The plans are illustrative, written for the demo in our own words: no figure is a real city's.
``seed_demo_plans()`` is called by the seed_demo command once the programme, its pairings, its
people and its events exist. It writes through actionplans.services as the people would: the
implementing city's demo officer drafts and submits, the mentor city's officer (or scheme A's
expert) reviews, the city's supervisor approves, the coordinator records the endorsement, and
during implementation the officer keeps statuses and measurements up to date. Everything is
dated inside the programme (2016-10-01 to 2018-09-30): each step is taken through the services,
then its stamps (the plan's, its versions', comments' and workflow log's, the audit trail's) are
moved to the day in ``DATES`` (accounts.demo.dated). The approval is thus dated in 2018 before
the endorsement is recorded, and the service's rule that an endorsement cannot come before the
approval holds for the demo as for anyone. Pairings that have a plan are left as they are:
running it again changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from accounts.demo import DemoStep, dated, demo_at, register
from accounts.models import User
from mentoring.demo import data as mentoring_demo
from mentoring.models import Commitment, Pairing, Programme, Recommendation

from . import services
from .demo_agir import DATES as AGIR_DATES
from .demo_agir import seed_agir_plans
from .models import ActionPlan, Indicator, PlanComment, PlanVersion, Section, Stage, Transition

D = Decimal

# One plan per implementing city: the stage it is left at, then its content. Actions carry the
# status they reach during implementation; indicators carry their measurements (dated, in order).
PLANS = {
    "Gdańsk": {
        "stage": Stage.IN_IMPLEMENTATION,
        "title": "Opening city tenders to newcomers' businesses",
        "context": (
            "Gdańsk buys works, goods and services from several thousand suppliers a year, yet "
            "the procurement office could name only a handful of firms run by migrants among its "
            "bidders. Large lots, documents in Polish only and unfamiliar rules keep small "
            "newcomer firms away from public contracts.\n\n"
            "During the study visit to Rotterdam we saw how splitting contracts into lots, "
            "explaining tenders in plain language and meeting suppliers before a tender opens "
            "widen the circle of bidders without lowering any standard."
        ),
        "objectives": (
            "Within two years, more migrant-owned firms bid for and win city contracts.\n"
            "Procurement staff know the firms of the city's migrant communities and how to reach "
            "them."
        ),
        "actions": [
            {
                "title": "Split suitable contracts into smaller lots",
                "description": "Each department reviews its contracts above the threshold and "
                "divides those that can be divided, giving reasons when it does not.",
                "lead_department": "Procurement Office",
                "partners": "All city departments",
                "starts_on": date(2017, 3, 1),
                "ends_on": date(2017, 12, 31),
                "cost": D("15000.00"),
                "funding_source": "City budget",
                "status": "done",
                "commitments": [9, 11],
            },
            {
                "title": "Publish tender guides in Ukrainian, Russian and English",
                "description": "Short guides on how to register, bid and invoice, checked by "
                "entrepreneurs who read them first.",
                "lead_department": "Procurement Office",
                "partners": "Immigrant Support Centre",
                "starts_on": date(2017, 5, 1),
                "ends_on": date(2017, 11, 30),
                "cost": D("8500.00"),
                "funding_source": "AMIF (CITIES-GROW)",
                "status": "in_progress",
                "commitments": [10],
            },
            {
                "title": "Meet-the-buyer days for migrant entrepreneurs",
                "description": "Twice a year buyers present the coming tenders and answer "
                "questions, with interpreters.",
                "lead_department": "Economic Development Department",
                "partners": "Pomeranian Chamber of Commerce\nImmigrant Support Centre",
                "starts_on": date(2017, 10, 1),
                "ends_on": date(2018, 6, 30),
                "cost": D("12000.00"),
                "funding_source": "City budget",
                "status": "planned",
                "commitments": [11],
            },
        ],
        "indicators": [
            {
                "name": "Migrant-owned firms bidding for city contracts",
                "kind": "result",
                "unit": "firms a year",
                "baseline": D(4),
                "target": D(20),
                "measurements": [(date(2017, 12, 15), D(9)), (date(2018, 6, 15), D(14))],
            },
            {
                "name": "Tender guides published",
                "kind": "output",
                "unit": "guides",
                "baseline": D(0),
                "target": D(3),
                "measurements": [(date(2018, 3, 1), D(2))],
            },
        ],
        "risks": [
            {
                "description": "Departments keep large framework contracts out of habit",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "The mayor's office asks for reasons whenever a large contract is "
                "not divided.",
            },
        ],
        "local_group": [
            ("Procurement Office of the City of Gdańsk", "public"),
            ("Pomeranian Chamber of Commerce", "business"),
            ("Immigrant Support Centre", "migrant_org"),
        ],
    },
    "Nicosia": {
        "stage": Stage.SUBMITTED,
        "title": "A diverse supplier base for Nicosia",
        "context": (
            "Nicosia's municipality buys mostly from a small circle of long-standing suppliers. "
            "Businesses set up by third-country nationals and by Turkish Cypriot entrepreneurs "
            "seldom hear of municipal tenders in time to bid.\n\n"
            "Munich keeps a register of small suppliers and tells them of every tender in their "
            "trade; we want to try the same on a smaller scale."
        ),
        "objectives": (
            "Build a register of small and migrant-owned suppliers and alert them to tenders.\n"
            "Add a diversity clause to the municipality's procurement guidelines."
        ),
        "actions": [
            {
                "title": "Register of small suppliers",
                "lead_department": "Municipal Procurement Unit",
                "partners": "Cyprus Chamber of Commerce and Industry",
                "starts_on": date(2017, 9, 1),
                "ends_on": date(2018, 3, 31),
                "cost": D("9000.00"),
                "funding_source": "Municipal budget",
                "commitments": [11],
            },
            {
                "title": "Diversity clause in the procurement guidelines",
                "lead_department": "Legal Service",
                "starts_on": date(2017, 11, 1),
                "ends_on": date(2018, 5, 31),
                "cost": D("2500.00"),
                "funding_source": "Municipal budget",
                "commitments": [9, 10],
            },
        ],
        "indicators": [
            {
                "name": "Suppliers in the register",
                "kind": "output",
                "unit": "suppliers",
                "baseline": D(0),
                "target": D(60),
            },
        ],
        "risks": [
            {
                "description": "Suppliers do not trust a municipal register",
                "likelihood": "medium",
                "impact": "medium",
                "mitigation": "Community organisations introduce the register to their members.",
            },
        ],
        "local_group": [
            ("Municipal Procurement Unit", "public"),
            ("Cyprus Chamber of Commerce and Industry", "business"),
            ("Migrant community associations' forum", "migrant_org"),
        ],
    },
    "Riga": {
        "stage": Stage.CHANGES_REQUESTED,
        "title": "From school to work: young people of migrant background in Riga",
        "context": (
            "Riga's vocational schools report that pupils with a migrant background leave "
            "without work placements more often than their classmates. Employers say they do "
            "not know how to reach these young people."
        ),
        "objectives": "More placements and first jobs for young people of migrant background.",
        "actions": [
            {
                "title": "Placement brokers in three vocational schools",
                "lead_department": "Education, Culture and Sports Department",
                "partners": "Three vocational schools",
                "starts_on": date(2017, 9, 1),
                "ends_on": date(2018, 6, 30),
                "cost": D("18000.00"),
                "funding_source": "AMIF (CITIES-GROW)",
            },
            {
                "title": "Employers' pledge on youth placements",
                "lead_department": "City Development Department",
                "partners": "Employers' Confederation of Latvia",
                "starts_on": date(2018, 1, 1),
                "ends_on": date(2018, 9, 30),
                "cost": D("4000.00"),
                "funding_source": "City budget",
            },
        ],
        "indicators": [
            {
                "name": "Placements found for pupils of migrant background",
                "kind": "output",
                "unit": "placements",
                "baseline": D(10),
                "target": D(40),
            },
        ],
        "risks": [
            {
                "description": "Too few employers sign the pledge",
                "likelihood": "high",
                "impact": "medium",
                "mitigation": "Start with the city's own companies and suppliers.",
            },
        ],
        "local_group": [
            ("Education, Culture and Sports Department", "public"),
            ("Employers' Confederation of Latvia", "business"),
        ],
        "review": (
            "Please add a baseline for the employers' side and say how the brokers will be "
            "paid once the programme ends."
        ),
    },
    "Tampere": {
        "stage": Stage.RESUBMITTED,
        "title": "Apprenticeships that match young newcomers with local firms",
        "context": (
            "Tampere's employment services meet many young newcomers who have skills but no "
            "Finnish references. Firms in the region look for apprentices and cannot find them."
        ),
        "objectives": (
            "Match young newcomers with apprenticeships in local firms, with language support "
            "on the job."
        ),
        "actions": [
            {
                "title": "Apprenticeship matching days",
                "lead_department": "Employment Services",
                "partners": "Tampere Chamber of Commerce\nVocational college",
                "starts_on": date(2017, 10, 1),
                "ends_on": date(2018, 5, 31),
                "cost": D("11000.00"),
                "funding_source": "City budget",
            },
            {
                "title": "Workplace Finnish coaching",
                "lead_department": "Adult Education Centre",
                "starts_on": date(2018, 1, 15),
                "ends_on": date(2018, 9, 30),
                "cost": D("16500.00"),
                "funding_source": "European Social Fund",
            },
        ],
        "indicators": [
            {
                "name": "Apprenticeships started",
                "kind": "result",
                "unit": "apprentices",
                "baseline": D(5),
                "target": D(30),
            },
        ],
        "risks": [
            {
                "description": "Apprentices drop out in the first months",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "A mentor in each firm and a monthly check-in.",
            },
        ],
        "local_group": [
            ("Employment Services of Tampere", "public"),
            ("Tampere Chamber of Commerce", "business"),
            ("Vocational college", "education"),
        ],
        "review": "The actions need a lead for the coaching and a cost per apprentice.",
        "resubmitted_objectives": (
            "Match young newcomers with apprenticeships in local firms, with language support "
            "on the job.\nKeep nine in ten apprentices in their placement for six months."
        ),
    },
    "Athens": {
        "stage": Stage.APPROVED,
        "title": "One door for migrant entrepreneurs in Athens",
        "context": (
            "People who want to start a business in Athens deal with several offices, each with "
            "its own forms. For newcomers the maze is worse: information is rarely given in "
            "their languages.\n\nBarcelona's business support service for migrants showed us a "
            "single desk that guides entrepreneurs from the idea to the first invoice."
        ),
        "objectives": "Open a single desk for migrant entrepreneurs and train its advisers.",
        "actions": [
            {
                "title": "Open the entrepreneurs' desk in the city centre",
                "lead_department": "Athens Development and Destination Management Agency",
                "partners": "Athens Migrant Integration Centre",
                "starts_on": date(2017, 11, 1),
                "ends_on": date(2018, 4, 30),
                "cost": D("32000.00"),
                "funding_source": "AMIF (CITIES-GROW)",
                "commitments": [4, 5],
            },
            {
                "title": "Train advisers on permits and finance",
                "lead_department": "Human Resources Directorate",
                "starts_on": date(2018, 1, 8),
                "ends_on": date(2018, 3, 30),
                "cost": D("6000.00"),
                "funding_source": "City budget",
                "commitments": [8],
            },
            {
                "title": "Micro-loan information sessions",
                "lead_department": "Athens Development and Destination Management Agency",
                "partners": "Local banks",
                "starts_on": date(2018, 4, 1),
                "ends_on": date(2018, 9, 30),
                "cost": D("3500.00"),
                "funding_source": "Sponsorship",
            },
        ],
        "indicators": [
            {
                "name": "Entrepreneurs advised at the desk",
                "kind": "output",
                "unit": "people",
                "baseline": D(0),
                "target": D(300),
            },
            {
                "name": "Businesses registered after advice",
                "kind": "result",
                "unit": "businesses",
                "baseline": D(0),
                "target": D(45),
            },
        ],
        "risks": [
            {
                "description": "The desk is not known in the communities",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "Community mediators announce it in their languages.",
            },
        ],
        "local_group": [
            ("Athens Migrant Integration Centre", "public"),
            ("Athens Chamber of Tradesmen", "business"),
            ("Migrant entrepreneurs' network", "migrant_org"),
        ],
    },
    "Dresden": {
        "stage": Stage.ENDORSED,
        "title": "Start-up mentoring for newcomers in Dresden",
        "context": (
            "Dresden's start-up support reaches few newcomers; those who found a business do so "
            "mostly without advice. Lisbon pairs new entrepreneurs with experienced ones."
        ),
        "objectives": "Pair newcomer founders with experienced entrepreneurs as mentors.",
        "actions": [
            {
                "title": "Mentor pool of local entrepreneurs",
                "lead_department": "Economic Development Office",
                "partners": "Dresden Chamber of Industry and Commerce",
                "starts_on": date(2017, 10, 1),
                "ends_on": date(2018, 3, 31),
                "cost": D("7000.00"),
                "funding_source": "City budget",
            },
            {
                "title": "Mentoring pairs for newcomer founders",
                "lead_department": "Economic Development Office",
                "partners": "Foreigners' Council of Dresden",
                "starts_on": date(2018, 2, 1),
                "ends_on": date(2018, 9, 30),
                "cost": D("14000.00"),
                "funding_source": "AMIF (CITIES-GROW)",
            },
        ],
        "indicators": [
            {
                "name": "Mentoring pairs formed",
                "kind": "output",
                "unit": "pairs",
                "baseline": D(0),
                "target": D(25),
            },
        ],
        "risks": [
            {
                "description": "Mentors drop out for lack of time",
                "likelihood": "low",
                "impact": "medium",
                "mitigation": "Keep a reserve of mentors and limit each to one mentee.",
            },
        ],
        "local_group": [
            ("Economic Development Office", "public"),
            ("Dresden Chamber of Industry and Commerce", "business"),
            ("Foreigners' Council of Dresden", "migrant_org"),
        ],
    },
    "Brighton & Hove": {
        "stage": Stage.COMPLETED,
        "title": "Fair recruitment in Brighton & Hove",
        "context": (
            "Applicants with foreign names and qualifications are invited to interview less "
            "often than others with the same experience. The council is a large employer and "
            "wants its own recruitment to set the example for the city.\n\n"
            "Nantes showed us anonymous applications and diversity training for recruiters."
        ),
        "objectives": (
            "Remove names and places of birth from applications to the council.\n"
            "Train every recruiting manager on fair selection."
        ),
        "actions": [
            {
                "title": "Anonymous applications for council posts",
                "lead_department": "Human Resources",
                "starts_on": date(2017, 1, 9),
                "ends_on": date(2017, 6, 30),
                "cost": D("5000.00"),
                "funding_source": "Council budget",
                "status": "done",
                "commitments": [6, 7],
            },
            {
                "title": "Fair selection training for recruiting managers",
                "lead_department": "Human Resources",
                "partners": "Brighton & Hove Equality Network",
                "starts_on": date(2017, 3, 1),
                "ends_on": date(2017, 12, 15),
                "cost": D("9800.00"),
                "funding_source": "AMIF (CITIES-GROW)",
                "status": "done",
                "commitments": [8],
            },
            {
                "title": "Share the method with the city's large employers",
                "lead_department": "Economic Development",
                "partners": "Local employers' forum",
                "starts_on": date(2018, 1, 15),
                "ends_on": date(2018, 6, 30),
                "cost": D("3000.00"),
                "funding_source": "Council budget",
                "status": "done",
                "commitments": [2],
            },
        ],
        "indicators": [
            {
                "name": "Recruiting managers trained",
                "kind": "output",
                "unit": "managers",
                "baseline": D(0),
                "target": D(120),
                "measurements": [(date(2017, 9, 1), D(70)), (date(2017, 12, 15), D(124))],
            },
            {
                "name": "Share of interviewees with a foreign qualification",
                "kind": "result",
                "unit": "%",
                "baseline": D("6.0"),
                "target": D("12.0"),
                "measurements": [(date(2017, 12, 31), D("9.5")), (date(2018, 6, 30), D("12.4"))],
            },
        ],
        "risks": [
            {
                "description": "Managers see anonymous applications as extra work",
                "likelihood": "medium",
                "impact": "medium",
                "mitigation": "The recruitment system removes the details automatically.",
            },
        ],
        "local_group": [
            ("Brighton & Hove City Council, Human Resources", "public"),
            ("Brighton & Hove Equality Network", "civil_society"),
            ("University of Brighton", "education"),
        ],
    },
    "Utrecht": {
        "stage": Stage.DRAFT,
        "title": "Discrimination-free hiring in Utrecht",
        "context": (
            "Utrecht's anti-discrimination office receives complaints about hiring every month. "
            "Small employers ask for practical help to recruit fairly."
        ),
        "objectives": "Give small employers a tested method for fair recruitment.",
        "actions": [
            {
                "title": "Fair hiring toolkit for small employers",
                "lead_department": "Work and Income",
                "partners": "Utrecht anti-discrimination office",
                "starts_on": date(2018, 2, 1),
                "ends_on": date(2018, 9, 30),
                "cost": D("7500.00"),
                "funding_source": "City budget",
            },
        ],
        "indicators": [
            {
                "name": "Employers using the toolkit",
                "kind": "output",
                "unit": "employers",
                "baseline": D(0),
                "target": D(50),
            },
        ],
        "risks": [],
        "local_group": [("Utrecht anti-discrimination office", "civil_society")],
    },
}

ENDORSING_BODY = "City council"

# The day each plan took each step it took: drafted after its city's study or mentoring visit,
# submitted in the winter or spring of 2018, approved by the city and endorsed by its council in
# 2018. "endorsed" is the date of the council's decision, recorded the same afternoon.
DATES: dict[str, dict[str, tuple[int, int, int]]] = {
    "Gdańsk": {
        "drafted": (2017, 11, 6),
        "submitted": (2018, 1, 9),
        "approved": (2018, 2, 6),
        "endorsed": (2018, 2, 22),
        "started": (2018, 3, 1),
        "tracked": (2018, 7, 2),
    },
    "Nicosia": {"drafted": (2017, 12, 11), "submitted": (2018, 5, 29)},
    "Riga": {
        "drafted": (2018, 3, 5),
        "submitted": (2018, 4, 24),
        "changes_requested": (2018, 5, 8),
    },
    "Tampere": {
        "drafted": (2017, 10, 2),
        "submitted": (2018, 4, 10),
        "changes_requested": (2018, 4, 24),
        "resubmitted": (2018, 6, 5),
    },
    "Athens": {"drafted": (2017, 12, 4), "submitted": (2018, 4, 17), "approved": (2018, 6, 19)},
    "Dresden": {
        "drafted": (2017, 9, 4),
        "submitted": (2018, 3, 6),
        "approved": (2018, 5, 8),
        "endorsed": (2018, 6, 12),
    },
    "Brighton & Hove": {
        "drafted": (2017, 7, 3),
        "submitted": (2017, 11, 14),
        "approved": (2018, 1, 16),
        "endorsed": (2018, 1, 25),
        "started": (2018, 2, 1),
        "tracked": (2018, 7, 3),
        "completed": (2018, 9, 20),
    },
    "Utrecht": {"drafted": (2018, 3, 12)},
}
# What the services stamp with the moment they run, moved to the day of the step.
STAMPS = (
    (ActionPlan, "created_at"),
    (ActionPlan, "updated_at"),
    (PlanVersion, "submitted_at"),
    (PlanComment, "created_at"),
    (Transition, "at"),
)


def seed_demo_plans(programme: Programme) -> int:
    """Give every demo pairing without a plan its demo plan. Returns how many were made."""
    made = 0
    for code, mentor, implementing in mentoring_demo.PAIRINGS:
        pairing = (
            Pairing.objects.filter(
                scheme__programme=programme,
                scheme__code=code,
                mentor__name=mentor,
                implementing__name=implementing,
            )
            .select_related("scheme__programme", "mentor", "implementing")
            .first()
        )
        if pairing is None or ActionPlan.objects.filter(pairing=pairing).exists():
            continue
        with transaction.atomic():
            _seed_plan(pairing, PLANS[implementing])
        made += 1
    return made


def _person(email: str) -> User:
    # Fetched afresh for each step: memberships are cached on the user object.
    return User.objects.get(email=email)


def _seed_plan(pairing: Pairing, data: dict) -> ActionPlan:
    author = f"officer.{pairing.implementing.slug}@example.org"
    supervisor = f"supervisor.{pairing.implementing.slug}@example.org"
    mentor = f"officer.{pairing.mentor.slug}@example.org"
    reviewer = (
        mentoring_demo.EXPERT_EMAIL if pairing.scheme.code == "A" else mentor
    )  # the demo expert facilitates scheme A
    stage = data["stage"]
    days = {
        step: date(*day) for step, day in (DATES | AGIR_DATES)[pairing.implementing.name].items()
    }

    def on(step: str, *, later: int = 0, hour: int = 10):
        """The block in which the step is taken, dated ``later`` days after its day."""
        return dated(demo_at(days[step] + timedelta(days=later), hour), *STAMPS)

    with on("drafted"):
        plan = _draft(pairing, data, by=_person(author))
    if stage == Stage.DRAFT:
        return plan
    with on("submitted"):
        version = services.plan_submit(plan, by=_person(author))
    with on("submitted", later=7):
        services.comment_add(
            version,
            by=_person(reviewer),
            section=Section.ACTIONS,
            body="Clear actions. Could each one name who follows it up after the programme?",
        )
    if stage in (Stage.CHANGES_REQUESTED, Stage.RESUBMITTED):
        with on("changes_requested"):
            services.plan_request_changes(plan, by=_person(mentor), comment=data["review"])
        if stage == Stage.RESUBMITTED:
            with on("resubmitted"):
                plan = ActionPlan.objects.get(pk=plan.pk)
                services.section_save(
                    plan,
                    section=Section.OBJECTIVES,
                    by=_person(author),
                    text=data["resubmitted_objectives"],
                    expected_revision=plan.revision(Section.OBJECTIVES),
                )
                services.plan_submit(plan, by=_person(author))
        return plan
    if stage == Stage.SUBMITTED:
        return plan
    with on("approved"):
        services.plan_approve(
            plan, by=_person(supervisor), comment="Approved by the city administration."
        )
    if stage == Stage.APPROVED:
        return plan
    with on("endorsed", hour=16):
        services.plan_endorse(
            plan,
            by=_person(mentoring_demo.COORDINATOR_EMAIL),
            body=f"{ENDORSING_BODY} of {pairing.implementing.name}",
            decided_on=days["endorsed"],
            reference=f"{pairing.implementing.slug.upper()}/LAP/{pairing.pk:03d}",
        )
    if stage == Stage.ENDORSED:
        return plan
    with on("started"):
        services.plan_start(plan, by=_person(author))
    with on("tracked"):
        _track(plan, data, by=_person(author))
    if stage == Stage.COMPLETED:
        with on("completed"):
            services.plan_complete(
                plan, by=_person(supervisor), comment="Every action is done; the targets are met."
            )
    return plan


def _draft(pairing: Pairing, data: dict, *, by: User) -> ActionPlan:
    plan = services.plan_create(pairing=pairing, by=by, title=data["title"])
    for section, text in (
        (Section.CONTEXT, data["context"]),
        (Section.OBJECTIVES, data["objectives"]),
    ):
        plan = services.section_save(
            plan, section=section, by=by, text=text, expected_revision=None
        )
    recommendations = list(
        Recommendation.objects.filter(report__event__pairing=pairing).order_by("pk")[:1]
    )
    commitments = {
        c.number: c
        for c in Commitment.objects.filter(framework=pairing.scheme.programme.framework_id)
    }
    for position, action in enumerate(data["actions"]):
        fields = {k: v for k, v in action.items() if k not in ("status", "commitments")}
        services.row_add(
            plan,
            section=Section.ACTIONS,
            by=by,
            recommendations=recommendations if position == 0 else None,
            commitments=[commitments[n] for n in action.get("commitments", []) if n in commitments],
            **fields,
        )
    for indicator in data["indicators"]:
        fields = {k: v for k, v in indicator.items() if k != "measurements"}
        services.row_add(plan, section=Section.INDICATORS, by=by, **fields)
    for risk in data["risks"]:
        services.row_add(plan, section=Section.RISKS, by=by, **risk)
    for organisation, sector in data["local_group"]:
        services.row_add(
            plan, section=Section.LOCAL_GROUP, by=by, organisation=organisation, sector=sector
        )
    return ActionPlan.objects.get(pk=plan.pk)


def _track(plan: ActionPlan, data: dict, *, by: User) -> None:
    """What the city recorded while carrying the plan out: statuses and measurements."""
    for action, row in zip(data["actions"], plan.actions.order_by("position"), strict=True):
        if action.get("status", "planned") != row.status:
            services.action_status_set(row, by=by, status=action["status"])
    indicators = Indicator.objects.filter(plan=plan).order_by("position")
    for indicator, row in zip(data["indicators"], indicators, strict=True):
        for measured_on, value in indicator.get("measurements", []):
            services.measurement_add(row, by=by, measured_on=measured_on, value=value)


register(
    DemoStep(
        "plans",
        90,
        lambda run: seed_demo_plans(run.made["programme"]),
        without="plans",
        help="Leave out the demo action plans.",
    )
)

register(
    DemoStep(
        "agir-plans",
        180,
        seed_agir_plans,
        without="second-programme",
        help="Leave out the second demo programme, ICP AGIR.",
    )
)
