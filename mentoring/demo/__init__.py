"""Mentoring's part of the demo: the CITIES-GROW programme, its schemes, cities, pairings and demo
people (``programme``), and its events (``events``), the facts being in ``data``; then the second
programme, ICP AGIR (``agir``, facts in ``agir_data``), after the rest of CITIES-GROW."""

from accounts.demo import DemoStep, register

from .agir import (
    seed_agir_cities,
    seed_agir_events,
    seed_agir_pairings,
    seed_agir_people,
    seed_agir_programme,
    seed_agir_schemes,
)
from .events import seed_demo_events
from .programme import seed_cities, seed_pairings, seed_people, seed_programme, seed_schemes

register(DemoStep("programme", 10, seed_programme))
register(DemoStep("schemes", 20, seed_schemes))
register(DemoStep("cities", 30, seed_cities))
register(DemoStep("pairings", 40, seed_pairings))
register(DemoStep("people", 50, seed_people))
register(DemoStep("events", 60, lambda run: seed_demo_events(run.made["programme"])))

# ICP AGIR, after the whole of CITIES-GROW (its cities and people are reused).
SECOND = {"without": "second-programme", "help": "Leave out the second demo programme, ICP AGIR."}
register(DemoStep("agir-programme", 110, seed_agir_programme, **SECOND))
register(DemoStep("agir-schemes", 120, seed_agir_schemes, **SECOND))
register(DemoStep("agir-cities", 130, seed_agir_cities, **SECOND))
register(DemoStep("agir-pairings", 140, seed_agir_pairings, **SECOND))
register(DemoStep("agir-people", 150, seed_agir_people, **SECOND))
register(DemoStep("agir-events", 160, seed_agir_events, **SECOND))
