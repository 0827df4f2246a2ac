from .documents import ResourceDocument
from .pages import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    ResourceLibraryPage,
    SupportFormField,
    SupportRequestPage,
    SupportRequestSubmission,
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
    "Region",
    "ResourceCategory",
    "ResourceDocument",
    "ResourceLibraryPage",
    "SupportFormField",
    "SupportRequestPage",
    "SupportRequestSubmission",
]
