"""Member organisations: the network's registry, shared by every app.

A person types an organisation's name in a public form; the record keeps what they typed and links to
one `Organisation` (`OrganisationLinked.member_organisation`): a known name or alias links, a new name
creates an unverified organisation that editors review, merge or verify (website/organisations.py).
Matching ignores case, accents, punctuation and legal suffixes (website/organisation_names.py).
"""

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from website.organisation_names import clean_name, normalise, slug_for
from website.web_domains import website_domain


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Organisations that consented to a public profile: the only ones the directory shows."""
        return self.filter(public_profile=True)

    def matching(self, name):
        """Organisations whose name or one of whose aliases has the same key as `name`."""
        key = normalise(name)
        if not key:
            return self.none()
        # Two index lookups: an OR across a join with the aliases reads every organisation (1.9 ms at
        # 7,000 of them, growing with each name typed in a form); this stays at about 0.1 ms.
        by_name = self.model.objects.filter(key=key).order_by().values("pk")
        by_alias = OrganisationAlias.objects.filter(key=key).order_by().values("organisation_id")
        return self.filter(pk__in=by_name.union(by_alias))

    def suggested_names(self):
        """The names a public form offers as one types: verified organisations that consented."""
        return self.filter(verified=True, public_profile=True).order_by("name").values_list("name", flat=True)


def serialise_new_name(key):
    """Until the transaction ends, others typing the same name wait here, then find the organisation this
    one may create (two registrations of "Org X" at once would otherwise create it twice). SQLite
    serialises every writing transaction already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"maillon.organisation:{key}"])


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def for_name(self, name):
        """The organisation a typed name designates: a known name or alias (verified ones first), else a
        new unverified organisation for editors to review. None for a name without a letter or digit."""
        name = clean_name(name)
        if not normalise(name):
            return None
        serialise_new_name(normalise(name))
        found = self.matching(name).order_by("-verified", "pk").first()
        if found is not None:
            return found
        organisation = self.model(name=name)
        organisation.fill_derived_fields()
        try:
            # Inserted without save()'s signals: a name alone refers to nothing, so Wagtail's reference
            # index would read the row back to store nothing, and it shows on no public page, so stored
            # pages stay (save() says the same of any new unlisted organisation). Five queries less on
            # every registration or post naming a new organisation.
            with transaction.atomic():
                return self.bulk_create([organisation])[0]
        except IntegrityError:  # the same new name, created by another request at the same moment
            return self.matching(name).order_by("-verified", "pk").first()


class Organisation(ClusterableModel):
    class Kind(models.TextChoices):
        NON_PROFIT = "obnl", _("Organisme à but non lucratif (OBNL)")
        COOPERATIVE = "cooperative", _("Coopérative")
        SOCIAL_ECONOMY = "economie_sociale", _("Entreprise d'économie sociale")
        PUBLIC = "public", _("Organisme public ou municipal")
        PRIVATE = "privee", _("Entreprise privée")

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True, editable=False)
    key = models.CharField(_("clé de correspondance"), max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, blank=True)
    regions = ParentalManyToManyField(
        "website.Region", verbose_name=_("régions (MRC)"), blank=True, related_name="organisations"
    )
    postal_address = models.TextField(_("adresse postale"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    # The registrable domain of `website` (website/web_domains.py): addresses there belong to its people.
    web_domain = models.CharField(max_length=253, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("courriel public"), blank=True)
    phone = models.CharField(_("téléphone public"), max_length=30, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("courte description"), max_length=600, blank=True)
    public_profile = models.BooleanField(
        _("profil public accepté"),
        default=False,
        help_text=_(
            "L'organisme a accepté de paraître dans le répertoire public. Sans ce consentement, rien de "
            "lui n'est public."
        ),
    )
    public_profile_since = models.DateTimeField(_("profil public depuis"), null=True, blank=True)
    verified = models.BooleanField(
        _("vérifié"), default=False, help_text=_("Un ou une responsable a vérifié cet organisme.")
    )
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisme")
        verbose_name_plural = _("organismes")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A new organisation no editor verified and without a public profile (one a form's typed name
        # created) shows on no public page: stored pages stay as they are (website/page_cache.py).
        unlisted = self._state.adding and not (self.verified or self.public_profile)
        self.page_cache_scope = False if unlisted else None
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "website" in update_fields:
            kwargs["update_fields"] = {*update_fields, "web_domain"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self):
        """What the other fields give: the cleaned name, its matching key, the web domain, a unique slug,
        the dates the profile was made public and the organisation verified."""
        self.name = clean_name(self.name)
        self.key = normalise(self.name)
        self.web_domain = website_domain(self.website)
        if not self.slug:
            others = Organisation.objects.exclude(pk=self.pk)
            self.slug = slug_for(self.name, lambda slug: others.filter(slug=slug).exists())
        now = timezone.now()
        if self.public_profile and not self.public_profile_since:
            self.public_profile_since = now
        if not self.public_profile:
            self.public_profile_since = None
        if self.verified and not self.verified_at:
            self.verified_at = now

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def region_names(self):
        return ", ".join(region.label for region in self.regions.all())

    @property
    def alias_names(self):
        return "; ".join(alias.name for alias in self.aliases.all())

    def known_keys(self):
        return {self.key, *(alias.key for alias in self.aliases.all())}


class OrganisationAlias(Orderable):
    """Another way people write the organisation's name ("CABN", "Centre d'action bénévole du Nord")."""

    organisation = ParentalKey(Organisation, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(_("autre nom"), max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("autre nom")
        verbose_name_plural = _("autres noms")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        self.key = normalise(self.name)
        super().save(*args, **kwargs)


class OrganisationLinked(models.Model):
    """A record where a person typed an organisation's name. It keeps what they wrote (the text field
    named by `organisation_text_field`) and links to the organisation it designates.

    Saving links a record that has no organisation yet, and links again when the typed name changed
    (unless the link was changed at the same time: an editor's choice wins). A merge moves links with
    an update, never through here."""

    organisation_text_field = "organisation"

    member_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisme membre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_set",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.organisation_text_field in update_fields:
            if self.link_organisation() and update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "member_organisation"}
        super().save(*args, **kwargs)
        self._linked_as = self._link_state()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._linked_as = instance._link_state()
        return instance

    def _link_state(self):
        return (self.__dict__.get(self.organisation_text_field), self.__dict__.get("member_organisation_id"))

    def link_organisation(self):
        """Set `member_organisation` from the typed name when it should follow it; True if it changed."""
        typed = getattr(self, self.organisation_text_field) or ""
        loaded = getattr(self, "_linked_as", None)
        if self.member_organisation_id is None:
            follow = True
        else:
            follow = loaded is not None and loaded[0] != typed and loaded[1] == self.member_organisation_id
        if not follow:
            return False
        organisation = Organisation.objects.for_name(typed)
        changed = (organisation.pk if organisation else None) != self.member_organisation_id
        self.member_organisation = organisation
        return changed


class SupportRequestOrganisation(OrganisationLinked):
    """The organisation of a support request (a form submission of a SupportRequestPage)."""

    submission = models.OneToOneField(
        "wagtailforms.FormSubmission", on_delete=models.CASCADE, related_name="organisation_link"
    )
    organisation = models.CharField(_("organisme"), max_length=200)

    class Meta:
        verbose_name = _("organisme d'une demande d'accompagnement")
        verbose_name_plural = _("organismes des demandes d'accompagnement")

    def __str__(self):
        return self.organisation
