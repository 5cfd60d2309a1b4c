"""The CITIES-GROW demo programme, from the project's concept note (facts only, our own words)."""

from datetime import date
from decimal import Decimal

PROGRAMME = {
    "name": "CITIES-GROW",
    "slug": "cities-grow",
    "description": (
        "Sixteen European cities help each other bring migrants into work through economic "
        "activity. Each implementing city is paired with a mentor city that has already done "
        "what it wants to do, and turns what it learns into a local action plan."
    ),
    "network": "EUROCITIES",
    "funder": "Asylum, Migration and Integration Fund (AMIF), priority 2: access to work",
    "grant_reference": "",
    "starts_on": date(2016, 10, 1),
    "ends_on": date(2018, 9, 30),
    "budget": Decimal("650000.00"),
    "co_financing_rate": Decimal("0.1000"),
    "staff_days_allowance": 30,
    "cost_model": "hourly",
    "indirect_cost_rate": Decimal("0.0700"),
    # So that the demo shows the open-data pages: the programme publishes under CC BY 4.0.
    "open_data_licence": "CC-BY-4.0",
}

EXPERTS = {
    "MPG": ("Migration Policy Group", "BE"),
    "MWK": ("MigrationWork CIC", "GB"),
    "MPI": ("Migration Policy Institute", "BE"),
}

# code, theme, facilitator, numbers of the Integrating Cities Charter commitments it serves
SCHEMES = [
    (
        "A",
        "Matching buyers and suppliers: access to public and private contracts for immigrant "
        "entrepreneurs",
        "MPG",
        [9, 10, 11],
    ),
    (
        "B",
        "Engaging businesses, job agencies and schools for the job-skills match of youth with a "
        "migrant background",
        "MWK",
        [2, 4, 5],
    ),
    ("C", "Services to promote and support migrant entrepreneurs", "MPI", [4, 5, 11]),
    ("D", "Anti-discrimination strategies on the local job market", "MPG", [2, 6, 7]),
]

# name, ISO country, latitude, longitude, main languages
CITIES = [
    ("Athens", "GR", "37.9838", "23.7275", ["el"]),
    ("Barcelona", "ES", "41.3874", "2.1686", ["ca", "es"]),
    ("Birmingham", "GB", "52.4862", "-1.8904", ["en"]),
    ("Brighton & Hove", "GB", "50.8225", "-0.1372", ["en"]),
    ("Dresden", "DE", "51.0504", "13.7373", ["de"]),
    ("Gdańsk", "PL", "54.3520", "18.6466", ["pl"]),
    ("Ghent", "BE", "51.0543", "3.7174", ["nl"]),
    ("Helsinki", "FI", "60.1699", "24.9384", ["fi", "sv"]),
    ("Lisbon", "PT", "38.7223", "-9.1393", ["pt"]),
    ("Munich", "DE", "48.1351", "11.5820", ["de"]),
    ("Nantes", "FR", "47.2184", "-1.5536", ["fr"]),
    ("Nicosia", "CY", "35.1856", "33.3823", ["el", "tr"]),
    ("Riga", "LV", "56.9496", "24.1052", ["lv"]),
    ("Rotterdam", "NL", "51.9244", "4.4777", ["nl"]),
    ("Tampere", "FI", "61.4978", "23.7610", ["fi"]),
    ("Utrecht", "NL", "52.0907", "5.1214", ["nl"]),
]

# scheme code, mentor, implementing (illustrative pairings, not the historical ones)
PAIRINGS = [
    ("A", "Rotterdam", "Gdańsk"),
    ("A", "Munich", "Nicosia"),
    ("B", "Birmingham", "Riga"),
    ("B", "Ghent", "Tampere"),
    ("C", "Barcelona", "Athens"),
    ("C", "Lisbon", "Dresden"),
    ("D", "Nantes", "Brighton & Hove"),
    ("D", "Helsinki", "Utrecht"),
]

COORDINATOR_EMAIL = "coordinator@example.org"
EXPERT_EMAIL = "expert@example.org"
PARTNER_EMAIL = "partner@example.org"
