"""Fixed vocabularies of the toolkits: who a practice serves, the languages it may be written in
and the currencies its budget may be given in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newly arrived migrants")
    REFUGEES = "refugees", _("Refugees and asylum seekers")
    MINORS = "minors", _("Unaccompanied minors")
    YOUTH = "youth", _("Young people with a migrant background")
    WOMEN = "women", _("Migrant women")
    ENTREPRENEURS = "entrepreneurs", _("Migrant entrepreneurs")
    JOB_SEEKERS = "job_seekers", _("Job seekers")
    LABOUR_MIGRANTS = "labour_migrants", _("Labour migrants")
    EMPLOYERS = "employers", _("Employers and businesses")
    SCHOOLS = "schools", _("Schools and teachers")
    CITY_STAFF = "city_staff", _("City staff and public services")
    RESIDENTS = "residents", _("Local residents")


# The 24 official languages of the European Union, by ISO 639-1 code; a practice is written in
# one of them.
EU_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
]

# Currencies of EU and nearby partner countries a budget may be stated in.
CURRENCIES = [
    ("EUR", _("euro (EUR)")),
    ("BGN", _("Bulgarian lev (BGN)")),
    ("CZK", _("Czech koruna (CZK)")),
    ("DKK", _("Danish krone (DKK)")),
    ("HUF", _("Hungarian forint (HUF)")),
    ("PLN", _("Polish złoty (PLN)")),
    ("RON", _("Romanian leu (RON)")),
    ("SEK", _("Swedish krona (SEK)")),
    ("GBP", _("pound sterling (GBP)")),
    ("CHF", _("Swiss franc (CHF)")),
    ("NOK", _("Norwegian krone (NOK)")),
    ("TRY", _("Turkish lira (TRY)")),
]
