from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .constants import ROLE_AGENCY_KIND, AgencyKind, AuditAction, Role


class City(models.Model):
    """A prefecture-level city (地级市, e.g. 枣庄市), above its districts. Its justice bureau (市司法局)
    oversees the districts' correction work: its supervisors read every district's cases and figures
    (corrections.scoping), while each case stays with its district's offices."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    # GB/T 2260 code of the city: the first four digits of its districts' codes (3704 for Zaozhuang).
    code = models.CharField(_("division code"), max_length=4, unique=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A county-level district (区/县). Every role but the city's supervisors is scoped to one."""

    # "organisation": an agency's or a district's name is 名称, a person's 姓名 (context "person").
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    # GB/T 2260 administrative division code, e.g. 370403 for Xuecheng District of Zaozhuang.
    code = models.CharField(_("division code"), max_length=6, unique=True)
    # Null for a district not (yet) placed under a city: it works exactly as before, on its own. Existing
    # districts are left so by the migration (accounts 0008): a city's name is not in the data, and a
    # guessed city would give its supervisors cases nobody placed under them.
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation: the district bureau, its justice offices, police, procuratorate, court, prison;
    or, at city level, the city's justice bureau.

    Exactly one of `district` and `city` is set (a check constraint): a district's agency has its
    district, and every `agency.district_id` in the code keeps meaning "the district this agency works
    in"; a city-level agency has none, so a filter by the caller's district finds nothing for it unless
    the code asks about the city on purpose (corrections.scoping)."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # Only for an agency above the districts: the city's justice bureau.
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # The organisation tree: a justice office's parent is its district justice bureau.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The agency's group for object grants to the whole agency (guardian): a referral addressed to a
    # police bureau or a court lets that agency see the one case. Created by accounts.services.
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("permission group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="agency",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["district", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="agency_name_unique_in_district"),
            models.UniqueConstraint(
                fields=["city", "name"], condition=Q(city__isnull=False), name="agency_name_unique_in_city"
            ),
            # A district's agency or a city's, never both or neither.
            models.CheckConstraint(
                condition=Q(district__isnull=False, city__isnull=True)
                | Q(district__isnull=True, city__isnull=False),
                name="agency_in_district_or_city",
            ),
            # The city level holds its justice bureau only: police, courts and offices work in districts.
            models.CheckConstraint(
                condition=Q(city__isnull=True) | Q(kind=AgencyKind.JUSTICE_BUREAU),
                name="agency_city_level_is_justice_bureau",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_level(self) -> bool:
        return self.city_id is not None

    def clean(self) -> None:
        if (self.district_id is None) == (self.city_id is None):
            raise ValidationError(_("An agency belongs to a district or, for a city's bureau, to a city."))
        if self.city_id is not None:
            if self.kind != AgencyKind.JUSTICE_BUREAU:
                raise ValidationError({"kind": _("Only a justice bureau works at city level.")})
            if self.parent_id is not None:
                raise ValidationError({"parent": _("A city's justice bureau has no parent agency.")})
            return
        if self.kind == AgencyKind.JUSTICE_OFFICE and self.parent_id is None:
            raise ValidationError({"parent": _("A justice office must belong to a justice bureau.")})
        if self.parent_id and self.parent.is_city_level:
            # A district's bureau answers to its city's bureau; nothing else hangs from the city level.
            if self.kind != AgencyKind.JUSTICE_BUREAU or self.parent.city_id != self.district.city_id:
                raise ValidationError(
                    {"parent": _("Only a district's justice bureau answers to its own city's bureau.")}
                )
        elif self.parent_id and self.parent.district_id != self.district_id:
            raise ValidationError({"parent": _("The parent agency must be in the same district.")})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if bool(self.role) != bool(self.agency_id):
            raise ValidationError(
                {"agency": _("A user with a role must belong to an agency, and the reverse.")}
            )
        if self.role and self.agency.kind != ROLE_AGENCY_KIND[self.role]:
            raise ValidationError(
                {
                    "agency": _("A %(role)s must belong to a %(kind)s.")
                    % {"role": Role(self.role).label, "kind": AgencyKind(ROLE_AGENCY_KIND[self.role]).label}
                }
            )

    def get_full_name(self) -> str:
        """Chinese names read family name first, with no space (孙立新); others as Django has them."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if (first + last) and not (first + last).isascii():
            return f"{last}{first}"
        return super().get_full_name()

    @property
    def district_id(self) -> int | None:
        """The district the user works in; None without an agency and for a city-level user."""
        return self.agency.district_id if self.agency_id else None

    @property
    def is_city_level(self) -> bool:
        """Works for a city's bureau (the city supervisor): reads its districts, changes no case. Only a
        supervisor works for a bureau (ROLE_AGENCY_KIND), so no other role loads its agency to answer."""
        return (
            self.role == Role.JUSTICE_SUPERVISOR and bool(self.agency_id) and self.agency.city_id is not None
        )

    @property
    def city_id(self) -> int | None:
        """The city of a city-level user's bureau (None for everyone else: their scope is a district)."""
        return self.agency.city_id if self.agency_id else None


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """Who read or changed what, when. Append-only: the application never updates or deletes a row,
    and on PostgreSQL a trigger refuses it too (migration 0002)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as written at the time, so the trail reads the same after a user is renamed.
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    # A plain id, not a foreign key: accounts sits below corrections, and the trail outlives records.
    supervisee_id = models.BigIntegerField(_("supervisee"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["supervisee_id", "-at"], name="audit_supervisee_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        target = f"{self.target_type}:{self.target_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")


class IdempotencyRecord(models.Model):
    """The answer given to a POST that carried an `Idempotency-Key`: the same key from the same user
    gets the same answer again instead of a second write (field networks drop replies,
    docs/api.md#idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # method and path, and a digest of the body: the same key reused for another request is refused.
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
