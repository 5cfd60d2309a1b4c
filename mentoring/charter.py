"""The 11 commitments of the EUROCITIES Integrating Cities Charter, grouped by the city's role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CharterRole(models.TextChoices):
    POLICY_MAKER = "policy", _("Policy-makers")
    SERVICE_PROVIDER = "services", _("Service providers")
    EMPLOYER = "employer", _("Employers")
    BUYER = "buyer", _("Buyers of goods and services")


class Commitment(models.IntegerChoices):
    EQUAL_OPPORTUNITIES = 1, _("Communicate the commitment to equal opportunities for everyone")
    EQUAL_ACCESS = 2, _("Ensure equal access and non-discrimination across all policies")
    ENGAGEMENT = 3, _("Facilitate migrants' engagement in policy-making")
    ACCESS_TO_SERVICES = 4, _("Support equal access to services")
    NEEDS_MET = 5, _("Ensure migrants' needs are understood and met")
    DIVERSE_WORKFORCE = 6, _("Reflect the city's diversity in the workforce at all levels")
    FAIR_TREATMENT = 7, _("Fair and equal treatment of all staff")
    STAFF_AWARENESS = 8, _("Staff understand and respect diversity and equality")
    FAIR_PROCUREMENT = 9, _("Apply equality and diversity principles in procurement")
    CONTRACTORS = 10, _("Promote equality and diversity among contractors")
    SUPPLIER_BASE = 11, _("Promote a diverse supplier base")


ROLE_OF_COMMITMENT = {
    **dict.fromkeys((1, 2, 3), CharterRole.POLICY_MAKER),
    **dict.fromkeys((4, 5), CharterRole.SERVICE_PROVIDER),
    **dict.fromkeys((6, 7, 8), CharterRole.EMPLOYER),
    **dict.fromkeys((9, 10, 11), CharterRole.BUYER),
}
