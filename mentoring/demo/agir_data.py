"""The ICP AGIR demo programme: facts from the programme's public description (International City
Partnerships: Acting for Green and Inclusive Recovery, October 2021 to March 2023), in our own
words. The pairings, people, figures and texts are illustrative, not the historical ones.

European cities are paired with cities in Canada, South Africa, Singapore, Hong Kong, South Korea
and Taiwan, on four themes. Cities are written in their own scripts; their slugs are the
transliterations. Study visits last six days and are given in the host city's local time.
"""

from datetime import date
from decimal import Decimal

PROGRAMME = {
    "name": "ICP AGIR",
    "slug": "icp-agir",
    "description": (
        "International City Partnerships: Acting for Green and Inclusive Recovery. Fourteen "
        "European cities and fourteen cities in Canada, South Africa, Singapore, Hong Kong, South "
        "Korea and Taiwan share what works for a green and inclusive recovery, in pairs and in "
        "four thematic clusters, and write cooperation plans they carry on after the end."
    ),
    "network": "European Commission, DG REGIO",
    "funder": "European Union (pilot project of the European Parliament)",
    "grant_reference": "",
    "starts_on": date(2021, 10, 1),
    "ends_on": date(2023, 3, 31),
    "budget": Decimal("1800000.00"),
    "co_financing_rate": Decimal("0.0000"),
    "staff_days_allowance": 24,
    "cost_model": "daily",
    "indirect_cost_rate": Decimal("0.0000"),
}

# The contractor that runs the clusters and supports the pairings.
EXPERTS = {"RAM": ("Ramboll", "DK")}

# code, theme, facilitator
SCHEMES = [
    ("CE", "Circular economy", "RAM"),
    ("AQ", "Air quality", "RAM"),
    ("ET", "Energy transition", "RAM"),
    ("IM", "Integration of migrants and refugees", "RAM"),
]

# name (in the city's own script), ISO country, latitude, longitude, main languages
CITIES = [
    # Canada
    ("Toronto", "CA", "43.65320", "-79.38320", ["en"]),
    ("Montréal", "CA", "45.50190", "-73.56740", ["fr", "en"]),
    ("Vancouver", "CA", "49.28270", "-123.12070", ["en"]),
    ("Halifax", "CA", "44.64880", "-63.57520", ["en"]),
    # South Africa
    ("Cape Town", "ZA", "-33.92490", "18.42410", ["en", "af", "xh"]),
    ("eThekwini", "ZA", "-29.85870", "31.02180", ["en", "zu"]),
    ("Johannesburg", "ZA", "-26.20410", "28.04730", ["en", "zu"]),
    ("Tshwane", "ZA", "-25.74790", "28.22930", ["en", "af"]),
    # Asia
    ("Singapore", "SG", "1.35210", "103.81980", ["en", "zh", "ms", "ta"]),
    ("香港", "HK", "22.31930", "114.16940", ["zh", "en"]),
    ("서울", "KR", "37.56650", "126.97800", ["ko"]),
    ("부산", "KR", "35.17960", "129.07560", ["ko"]),
    ("臺北", "TW", "25.03300", "121.56540", ["zh"]),
    ("高雄", "TW", "22.62730", "120.30140", ["zh"]),
    # Europe (four of them take part in CITIES-GROW too)
    ("Rotterdam", "NL", "51.9244", "4.4777", ["nl"]),
    ("Helsinki", "FI", "60.1699", "24.9384", ["fi", "sv"]),
    ("Ghent", "BE", "51.0543", "3.7174", ["nl"]),
    ("Barcelona", "ES", "41.3874", "2.1686", ["ca", "es"]),
    ("Milano", "IT", "45.46420", "9.19000", ["it"]),
    ("Lyon", "FR", "45.76400", "4.83570", ["fr"]),
    ("Wien", "AT", "48.20820", "16.37380", ["de"]),
    ("Ljubljana", "SI", "46.05690", "14.50580", ["sl"]),
    ("Tallinn", "EE", "59.43700", "24.75360", ["et"]),
    ("València", "ES", "39.46990", "-0.37630", ["es", "ca"]),
    ("Porto", "PT", "41.15790", "-8.62910", ["pt"]),
    ("Aarhus", "DK", "56.16290", "10.20390", ["da"]),
    ("Bologna", "IT", "44.49490", "11.34260", ["it"]),
    ("Łódź", "PL", "51.75920", "19.45600", ["pl"]),
]

# scheme code, mentor, implementing (illustrative)
PAIRINGS = [
    ("CE", "Rotterdam", "Cape Town"),
    ("CE", "서울", "Łódź"),
    ("CE", "Milano", "高雄"),
    ("CE", "Aarhus", "Halifax"),
    ("AQ", "Wien", "Johannesburg"),
    ("AQ", "臺北", "València"),
    ("AQ", "Ljubljana", "부산"),
    ("AQ", "Lyon", "Tshwane"),
    ("ET", "Vancouver", "Porto"),
    ("ET", "Helsinki", "eThekwini"),
    ("ET", "Singapore", "Bologna"),
    ("ET", "Barcelona", "香港"),
    ("IM", "Ghent", "Montréal"),
    ("IM", "Toronto", "Tallinn"),
]

COORDINATOR_EMAIL = "coordinator.agir@example.org"
EXPERT_EMAIL = "expert.agir@example.org"
