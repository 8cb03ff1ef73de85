"""REST API (``/api/v1/``, docs/api.md).

Serializers type the input and call the same services as the forms (one place for each
rule); querysets come from the scoped selectors, so another member's object is a 404.
``entries``: the member and their entries; ``compliance``: where they stand and the
providers; ``catalogue``: the activity catalogue; ``certificates``: reading a certificate;
``reviews``: the staff queue and decisions; ``staff_compliance``: the membership's
compliance for staff; ``common``: what they share.
"""

from credits.api.catalogue import ActivityDetail, ActivityList
from credits.api.certificates import CertificateReadView
from credits.api.compliance import ComplianceView, ProviderList
from credits.api.entries import CreditEntryViewSet, MeView
from credits.api.reviews import DecisionView, ReviewList
from credits.api.staff_compliance import StaffComplianceList, StaffComplianceSummary

__all__ = [
    "ActivityDetail",
    "ActivityList",
    "CertificateReadView",
    "ComplianceView",
    "CreditEntryViewSet",
    "DecisionView",
    "MeView",
    "ProviderList",
    "ReviewList",
    "StaffComplianceList",
    "StaffComplianceSummary",
]
