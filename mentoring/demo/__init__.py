"""Mentoring's part of the demo: the CITIES-GROW programme, its schemes, cities, pairings and demo
people (``programme``), and its events (``events``). The facts are in ``data``."""

from accounts.demo import DemoStep, register

from .events import seed_demo_events
from .programme import seed_cities, seed_pairings, seed_people, seed_programme, seed_schemes

register(DemoStep("programme", 10, seed_programme))
register(DemoStep("schemes", 20, seed_schemes))
register(DemoStep("cities", 30, seed_cities))
register(DemoStep("pairings", 40, seed_pairings))
register(DemoStep("people", 50, seed_people))
register(DemoStep("events", 60, lambda run: seed_demo_events(run.made["programme"])))
