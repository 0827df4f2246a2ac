from .documents import ResourceDocument
from .organisation_contacts import OrganisationContact, ProfileProposal
from .organisations import Organisation, OrganisationAlias, OrganisationLinked, SupportRequestOrganisation
from .outbox import OutgoingEmail
from .pages import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    ResourceLibraryPage,
    SupportFormField,
    SupportRequestPage,
)
from .privacy import PersonalDataRequest, PrivacyPolicyPage, SuppressedAddress
from .site_settings import NavigationSettings, OrganisationSettings
from .space import SpaceKey
from .support import SupportRequest, SupportRequestNote, SupportRequestStatusChange
from .taxonomy import Region, ResourceCategory

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "ContentPage",
    "HomePage",
    "NavigationSettings",
    "Organisation",
    "OrganisationAlias",
    "OrganisationContact",
    "OrganisationLinked",
    "OrganisationSettings",
    "OutgoingEmail",
    "PersonalDataRequest",
    "PrivacyPolicyPage",
    "ProfileProposal",
    "Region",
    "ResourceCategory",
    "ResourceDocument",
    "ResourceLibraryPage",
    "SpaceKey",
    "SupportFormField",
    "SupportRequest",
    "SupportRequestNote",
    "SupportRequestOrganisation",
    "SupportRequestPage",
    "SupportRequestStatusChange",
    "SuppressedAddress",
]
