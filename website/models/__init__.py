from .documents import ResourceDocument
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
from .site_settings import NavigationSettings, OrganisationSettings
from .taxonomy import Region, ResourceCategory

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "ContentPage",
    "HomePage",
    "NavigationSettings",
    "OrganisationSettings",
    "OutgoingEmail",
    "Region",
    "ResourceCategory",
    "ResourceDocument",
    "ResourceLibraryPage",
    "SupportFormField",
    "SupportRequestPage",
]
