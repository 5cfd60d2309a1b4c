"""The open licences a programme may publish its open data under, by SPDX identifier.

A programme chooses one on its edit form (``Programme.open_data_licence``); until it does, its
data is not published as open data and it has no dataset page.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OpenLicence:
    spdx: str  # the SPDX identifier, e.g. CC-BY-4.0 (https://spdx.org/licenses/)
    name: str | Promise
    url: str


# Common licences for open data: Creative Commons and the Open Data Commons licences, plus the
# national licences programmes outside the Creative Commons world use most.
LICENCES = (
    OpenLicence(
        "CC0-1.0",
        _("Creative Commons Zero v1.0 Universal (public domain dedication)"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    OpenLicence(
        "CC-BY-4.0",
        _("Creative Commons Attribution 4.0 International"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    OpenLicence(
        "CC-BY-SA-4.0",
        _("Creative Commons Attribution Share Alike 4.0 International"),
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    OpenLicence(
        "PDDL-1.0",
        _("Open Data Commons Public Domain Dedication and License v1.0"),
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    OpenLicence(
        "ODC-By-1.0",
        _("Open Data Commons Attribution License v1.0"),
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    OpenLicence(
        "ODbL-1.0",
        _("Open Data Commons Open Database License v1.0"),
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    OpenLicence(
        "OGL-UK-3.0",
        _("Open Government Licence v3.0"),
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
    OpenLicence(
        "etalab-2.0",
        _("Etalab Open License 2.0"),
        "https://www.etalab.gouv.fr/wp-content/uploads/2018/11/open-licence.pdf",
    ),
    OpenLicence(
        "DL-DE-BY-2.0",
        _("Data licence Germany – attribution – version 2.0"),
        "https://www.govdata.de/dl-de/by-2-0",
    ),
)

BY_SPDX = {licence.spdx: licence for licence in LICENCES}

NOT_PUBLISHED = ""


def licence_choices() -> list[tuple[str, str | Promise]]:
    return [
        (NOT_PUBLISHED, _("Not published as open data")),
        *((licence.spdx, licence.name) for licence in LICENCES),
    ]


def licence_of(spdx: str) -> OpenLicence | None:
    """The licence with this SPDX identifier; None for "not published" or one no longer
    offered."""
    return BY_SPDX.get(spdx or "")
