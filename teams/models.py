"""Where residents live (districts, wards, postcodes) and who polices it (teams, officers)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class NeighbouringForce(models.Model):
    """A police force next to Essex, named to residents whose postcode is outside the county."""

    name = models.CharField(max_length=100, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommunitySafetyPartnership(models.Model):
    """One of the partnerships of council, police and others that serve each Essex district."""

    name = models.CharField(max_length=150, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


FORCE_ADMINISTRATORS = "Force administrators"
TEAM_EDITORS = "Team editors"


def is_force_administrator(user) -> bool:
    """Superusers and the "Force administrators" group may edit every team.

    The answer is kept on the user object, so one request asks the database once.
    """
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_force_administrator"):
        user._is_force_administrator = user.groups.filter(name=FORCE_ADMINISTRATORS).exists()
    return user._is_force_administrator


class TeamQuerySet(models.QuerySet):
    def for_editor(self, user):
        """The teams this member of staff may edit: all for force administrators."""
        if is_force_administrator(user):
            return self
        if not (user.is_active and user.is_staff):
            return self.none()
        return self.filter(editors=user)


class Team(models.Model):
    """A Community Policing Team: officers, PCSOs and Special Constables under an Inspector."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True, help_text="One or two sentences for the team list.")
    description = models.TextField(blank=True, help_text="Plain text or simple Markdown.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    duty_note = models.TextField(
        blank=True,
        default=(
            "The team also works outside these hours when there is a pressing operational need."
        ),
    )
    inspector = models.ForeignKey(
        "Officer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Inspector in command of the team.",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_teams",
        help_text="Staff who may edit this team, its officers, hours, priorities and meetings.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teams:detail", kwargs={"slug": self.slug})


class District(models.Model):
    """A local authority district (ONS code), with the team or neighbouring force for it."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )
    force = models.ForeignKey(
        NeighbouringForce,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="districts",
        help_text="For districts outside Essex: the force residents there should contact.",
    )
    partnership = models.ForeignKey(
        CommunitySafetyPartnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="districts",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ward(models.Model):
    """An electoral ward. `team` overrides the district's team for this ward when set."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="wards"
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="override_wards",
        help_text="Only when this ward is policed by a team other than its district's.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """One row of OS Code-Point Open. District and ward are kept as codes without database
    constraints so that the bulk import can load them as they come."""

    postcode = models.CharField(max_length=8, primary_key=True)  # "CM1 1AA"
    outward = models.CharField(max_length=4, db_index=True)  # "CM1"
    sector = models.CharField(max_length=6, db_index=True)  # "CM1 1"
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    quality = models.PositiveSmallIntegerField()
    district = models.ForeignKey(
        District,
        null=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    ward = models.ForeignKey(
        Ward,
        null=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )

    class Meta:
        ordering = ["postcode"]

    def __str__(self):
        return self.postcode


class Officer(models.Model):
    class Rank(models.TextChoices):
        CHIEF_INSPECTOR = "chief-inspector", "Chief Inspector"
        INSPECTOR = "inspector", "Inspector"
        SERGEANT = "sergeant", "Sergeant"
        CONSTABLE = "constable", "Police Constable"
        PCSO = "pcso", "Police Community Support Officer"
        SPECIAL_INSPECTOR = "special-inspector", "Special Inspector"
        SPECIAL_SERGEANT = "special-sergeant", "Special Sergeant"
        SPECIAL_CONSTABLE = "special-constable", "Special Constable"
        STAFF = "staff", "Police staff"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField(max_length=100)
    rank = models.CharField(max_length=20, choices=Rank.choices)
    role = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="Plain text or simple Markdown.")
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.get_rank_display()} {self.name}"


class DutyPeriod(models.Model):
    """When a team is usually on duty. An end at or before the start runs past midnight."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_periods")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="duty_weekday_valid"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Priority(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField("issue", max_length=200)
    action = models.TextField("what the team is doing", blank=True)
    raised_on = models.DateField()
    actioned_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["status", "-raised_on"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title
