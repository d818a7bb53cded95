"""Where residents live (districts, wards, postcodes) and who polices it (teams, officers)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from portal.clock import Weekday
from portal.constraints import FieldCheckConstraint


class NeighbouringForce(models.Model):
    """A police force other than Essex Police, named to residents whose postcode is outside
    the county. The import gives every district in Great Britain its force (teams.forces)."""

    name = models.CharField(max_length=100, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "police force"

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

    def with_officers(self):
        """Each team with its active officers, their photos' addresses (never the bytes: see
        OfficerPhoto) and the wards they look after: two queries more."""
        return self.prefetch_related(
            Prefetch(
                "officers",
                queryset=Officer.objects.filter(active=True)
                .select_related("photo")
                .defer("photo__image")
                .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("name"))),
            )
        )

    def with_page_details(self):
        """Everything a team's page shows, in a fixed number of queries whatever its size."""
        return (
            self.with_officers()
            .select_related("inspector")
            .prefetch_related(
                "duty_periods",
                "priorities",
                Prefetch(
                    "districts",
                    queryset=District.objects.select_related("partnership").prefetch_related(
                        Prefetch("wards", queryset=Ward.objects.order_by("name"))
                    ),
                ),
                Prefetch("override_wards", queryset=Ward.objects.select_related("district")),
            )
        )

    def with_areas(self):
        """For the list of teams: each team with the districts it covers."""
        return self.prefetch_related("districts")


class Team(models.Model):
    """A Community Policing Team: officers, PCSOs and Special Constables under an Inspector."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True, help_text="One or two sentences for the team list.")
    description = models.TextField(blank=True, help_text="Plain text or simple Markdown.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    facebook_url = models.URLField("Facebook page", blank=True)
    x_url = models.URLField("X (Twitter) account", blank=True)
    instagram_url = models.URLField("Instagram account", blank=True)
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

    def clean(self):
        if self.inspector_id and self.inspector.team_id != self.pk:
            raise ValidationError(
                {"inspector": "Choose an officer of this team as its Inspector in command."}
            )

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(label, address) for each social media account the team has."""
        links = [
            ("Facebook", self.facebook_url),
            ("X (Twitter)", self.x_url),
            ("Instagram", self.instagram_url),
        ]
        return [(label, address) for label, address in links if address]


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


class WardQuerySet(models.QuerySet):
    def policed_by(self, teams):
        """The wards `teams` (a queryset or list of teams) police: their districts' wards that
        no other team was given, and the wards given to them."""
        return self.filter(
            Q(team__in=teams) | Q(team__isnull=True, district__team__in=teams)
        ).distinct()


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

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """One row of OS Code-Point Open. District and ward are kept as codes without database
    constraints so that the bulk import can load them as they come."""

    postcode = models.CharField(max_length=8, primary_key=True)  # "CM1 1AA"
    outward = models.CharField(max_length=4)  # "CM1"
    sector = models.CharField(max_length=6)  # "CM1 1"
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    quality = models.PositiveSmallIntegerField()
    district = models.ForeignKey(
        District,
        null=True,
        db_constraint=False,
        db_index=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    ward = models.ForeignKey(
        Ward,
        null=True,
        db_constraint=False,
        db_index=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )

    class Meta:
        ordering = ["postcode"]
        # Only what the finder looks postcodes up by (the key, the outward code, the sector,
        # the position):
        # every import rebuilds each index. Plain indexes declared here rather than
        # db_index=True, which on PostgreSQL adds a second "_like" index no query uses.
        indexes = [
            models.Index(fields=["outward"], name="postcode_outward"),
            models.Index(fields=["sector"], name="postcode_sector"),
            # "Use my location": the nearest postcode is found in a small square around a point.
            models.Index(fields=["easting", "northing"], name="postcode_position"),
        ]

    def __str__(self):
        return self.postcode


class UnansweredQuery(models.Model):
    """A postcode or place name the finder had nothing to say about, counted by day, so that
    staff can add an alias or a ward override. Only text shaped like a postcode or a place name
    is kept (teams.unanswered), nothing about who asked, and only for RETENTION_DAYS."""

    RETENTION_DAYS = 90

    day = models.DateField()
    text = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-day", "-count", "text"]
        verbose_name_plural = "unanswered queries"
        constraints = [
            models.UniqueConstraint(fields=["day", "text"], name="unanswered_query_once_a_day")
        ]

    def __str__(self):
        return f"{self.text} ({self.day:%d %b %Y}: {self.count})"


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
    # Blank in forms: the constraint below, not the form, says that a rank is missing.
    rank = models.CharField(max_length=20, choices=Rank.choices, blank=True)
    role = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="Plain text or simple Markdown.")
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    reviewed_on = models.DateField(
        "last reviewed",
        default=timezone.localdate,
        help_text="When someone last checked these details are still right.",
    )
    wards = models.ManyToManyField(
        Ward,
        blank=True,
        related_name="officers",
        verbose_name="ward officer for",
        help_text="The wards this officer looks after. Residents of these wards see them first.",
    )

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            FieldCheckConstraint(
                field="rank",
                condition=~Q(rank=""),
                name="officer_rank_not_empty",
                violation_error_message="Choose the officer's rank, such as Police Constable.",
            ),
        ]

    def __str__(self):
        return f"{self.get_rank_display()} {self.name}"


class OfficerPhoto(models.Model):
    """An officer's photo, as resized and stripped of metadata on upload (teams.photos).

    Kept in the database rather than on disk: every host behind the load balancer serves it
    with nothing shared but the database, and backups hold it. It is small (at most
    `photos.MAX_WIDTH` x `photos.MAX_HEIGHT`, tens of kilobytes). A model of its own, so that
    listing officers never loads the bytes; `digest` names it in its address, so a new photo
    has a new address and browsers may keep each one for a year.

    Keep it out of officer lists' queries: `select_related("photo")` with `defer("photo__image")`.
    """

    officer = models.OneToOneField(
        Officer, on_delete=models.CASCADE, primary_key=True, related_name="photo"
    )
    image = models.BinaryField()
    content_type = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"Photo of {self.officer_id}"

    def get_absolute_url(self):
        return reverse("teams:officer-photo", kwargs={"pk": self.officer_id, "digest": self.digest})


class DutyPeriod(models.Model):
    """When a team is usually on duty. An end at or before the start runs past midnight."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_periods")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="duty_weekday_valid"),
            FieldCheckConstraint(
                field="end",
                condition=~Q(start=F("end")),
                name="duty_end_not_start",
                violation_error_message="The end time must be different from the start time. "
                "To cover a whole day, add two periods, such as 8am to 8pm and 8pm to 8am.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class PriorityQuerySet(models.QuerySet):
    def current(self):
        """Raised or being worked on: what the team page and police.uk list."""
        return self.exclude(status=Priority.Status.CLOSED)

    def past(self):
        """Dealt with, the latest outcome first: the team's archive."""
        return self.filter(status=Priority.Status.CLOSED).order_by(
            F("outcome_on").desc(nulls_last=True), "-raised_on", "pk"
        )


class Priority(models.Model):
    """An issue residents raised, and its life: raised (issue, issue date), what the team is
    doing (action, action date), outcome (outcome, outcome date). Issue, issue date, action and
    action date are data.police.uk's priority fields (api.police_uk)."""

    class Status(models.TextChoices):
        # Values sort so that descending puts the current ones first (Meta.ordering).
        RAISED = "raised", "Raised"
        IN_PROGRESS = "in-progress", "In progress"
        CLOSED = "closed", "Dealt with"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField("issue", max_length=200)
    raised_on = models.DateField("raised on", default=timezone.localdate)
    action = models.TextField("what the team is doing", blank=True)
    actioned_on = models.DateField(
        "action started on", null=True, blank=True, help_text="When the team started on it."
    )
    outcome = models.TextField(
        blank=True, help_text="What came of it, for residents, once the team has dealt with it."
    )
    outcome_on = models.DateField("outcome on", null=True, blank=True)
    status = models.CharField("stage", max_length=12, choices=Status.choices, default=Status.RAISED)
    reviewed_on = models.DateField(
        "last reviewed",
        default=timezone.localdate,
        help_text="When someone last checked this is still what residents should read.",
    )

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["-status", "-raised_on"]
        verbose_name_plural = "priorities"
        constraints = [
            FieldCheckConstraint(
                field="actioned_on",
                condition=Q(actioned_on__isnull=True) | Q(actioned_on__gte=F("raised_on")),
                name="priority_actioned_after_raised",
                violation_error_message="The date actioned must be on or after the date raised.",
            ),
            FieldCheckConstraint(
                field="outcome_on",
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("raised_on")),
                name="priority_outcome_after_raised",
                violation_error_message="The date of the outcome must be on or after the date "
                "raised.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["raised", "in-progress", "closed"]),
                name="priority_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.CLOSED

    def clean(self):
        # The order of the dates is the constraints' (FieldCheckConstraint); what each stage
        # needs is said here.
        errors = {}
        if self.status in (self.Status.IN_PROGRESS, self.Status.CLOSED):
            if not self.action.strip() and self.status == self.Status.IN_PROGRESS:
                errors.setdefault(
                    "action", "Tell residents what the team is doing about this issue."
                )
            if self.action.strip() and not self.actioned_on:
                errors.setdefault("actioned_on", "Enter the date the team started on it.")
        if self.status == self.Status.CLOSED:
            if not self.outcome.strip():
                errors.setdefault("outcome", "Tell residents what came of it.")
            if not self.outcome_on:
                errors.setdefault(
                    "outcome_on",
                    "Enter the date of the outcome: residents see when a priority was dealt with.",
                )
        if errors:
            raise ValidationError(errors)
