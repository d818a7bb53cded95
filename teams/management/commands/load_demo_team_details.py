"""Sample details for the ten teams: officers, hours, priorities, contacts.

Runs after `load_reference_data`, which creates the teams and their districts. Safe to run again:
it adds what is missing and leaves alone whatever staff have changed since. Every name, address
and number is invented and marked as sample data.
"""

import datetime

from django.db import transaction

from portal.cache import content_changed
from portal.sample_data import SampleDataCommand
from teams.models import DutyPeriod, Officer, Priority, Team, Ward

SAMPLE_NOTE = (
    "This page shows sample data for the demonstration: the officers, hours, priorities and "
    "contact details are invented."
)

FIRST_NAMES = [
    "Alex", "Bea", "Cal", "Dani", "Eli", "Fran", "Gus", "Hana", "Ira", "Jo", "Kit", "Lou",
    "Mo", "Nell", "Oli", "Pip", "Quin", "Ros", "Sol", "Tam", "Uma", "Vic", "Wyn", "Zac",
]  # fmt: skip
SURNAMES = [
    "Ashdown", "Birchall", "Colby", "Dunmore", "Elsworth", "Fairley", "Gorringe", "Hartwell",
    "Ingham", "Jessop", "Kellaway", "Lockyer", "Marchant", "Northcott", "Oakley", "Pendry",
    "Quarrie", "Rowntree", "Sallis", "Thorley", "Upcott", "Vane", "Wellbeloved", "Yarrow",
]  # fmt: skip

# (rank, how many, role)
ESTABLISHMENT = [
    (Officer.Rank.INSPECTOR, 1, "Inspector in command of the team"),
    (Officer.Rank.SERGEANT, 2, "Neighbourhood sergeant"),
    (Officer.Rank.CONSTABLE, 4, "Neighbourhood officer"),
    (Officer.Rank.PCSO, 3, "Police Community Support Officer"),
    (Officer.Rank.SPECIAL_CONSTABLE, 2, "Special Constable, volunteering evenings and weekends"),
]

# The force's usual hours: Sunday to Thursday 08:00-22:00, Friday and Saturday 08:00-02:00.
USUAL_HOURS = [
    *[(day, datetime.time(8), datetime.time(22)) for day in (6, 0, 1, 2, 3)],
    *[(day, datetime.time(8), datetime.time(2)) for day in (4, 5)],
]

# (issue, what the team is doing, days ago raised, days ago actioned or None)
# (issue, what the team is doing, outcome, days since raised, since action, since outcome)
PRIORITIES = [
    (
        "Anti-social behaviour in {place} town centre (sample)",
        "Extra foot patrols on Friday and Saturday evenings, with the council's CCTV team.",
        "",
        60,
        50,
        None,
    ),
    (
        "Speeding on rural roads around {place} (sample)",
        "",
        "",
        20,
        None,
        None,
    ),
    (
        "Thefts from sheds and garages in {place} (sample)",
        "Crime prevention visits and free shed alarms.",
        "Two people were charged, and thefts fell from twelve a month to two.",
        200,
        180,
        45,
    ),
]


class Command(SampleDataCommand):
    help = "Add sample officers, hours, priorities and contacts to the teams (sample data)."

    @transaction.atomic
    def handle(self, *args, **options):
        teams = list(Team.objects.prefetch_related("districts").order_by("name"))
        if not teams:
            self.stdout.write(
                "No teams yet, so no team details were added: run load_reference_data first."
            )
            return
        for index, team in enumerate(teams):
            self.load_team(team, index)
        content_changed()  # the duty periods are bulk-created, which sends no signals
        self.stdout.write(f"Sample details for {len(teams)} teams.")

    def add_ward_officers(self, team: Team) -> None:
        """Share the team's wards among its PCSOs, in turn, when none has a ward yet."""
        pcsos = list(team.officers.filter(rank=Officer.Rank.PCSO).order_by("order"))
        if not pcsos or any(officer.wards.exists() for officer in pcsos):
            return
        for number, ward in enumerate(Ward.objects.policed_by([team]).order_by("name")):
            pcsos[number % len(pcsos)].wards.add(ward)

    def load_team(self, team: Team, index: int) -> None:
        place = team.districts.all()[0].name if team.districts.all() else team.name
        changed = []
        if not team.description:
            team.description = (
                f"We are the officers, Police Community Support Officers and Special Constables "
                f"who work in {team.name}. We listen to residents, tackle the issues that matter "
                f"most to them and work with the council and other services to keep "
                f"{place} safe.\n\n{SAMPLE_NOTE}"
            )
            changed.append("description")
        if not team.email:
            team.email = f"{team.slug}.team@example.org"
            changed.append("email")
        if not team.phone:
            team.phone = f"01632 960 {100 + index:03d}"  # reserved for drama by Ofcom
            changed.append("phone")

        names = iter(
            f"{FIRST_NAMES[(index * 5 + n) % len(FIRST_NAMES)]} "
            f"{SURNAMES[(index * 7 + n * 3) % len(SURNAMES)]}"
            for n in range(100)
        )
        order = 0
        for rank, count, role in ESTABLISHMENT:
            for _ in range(count):
                officer, _ = Officer.objects.get_or_create(
                    team=team,
                    name=f"{next(names)} (sample)",
                    defaults={"rank": rank, "role": role, "order": order},
                )
                order += 1
                if rank == Officer.Rank.INSPECTOR and team.inspector_id is None:
                    team.inspector = officer
                    changed.append("inspector")
        if changed:
            team.save(update_fields=[*changed, "updated_at"])
        self.add_ward_officers(team)

        if not team.duty_periods.exists():
            DutyPeriod.objects.bulk_create(
                DutyPeriod(team=team, weekday=day, start=start, end=end)
                for day, start, end in USUAL_HOURS
            )

        today = datetime.date.today()
        for title, action, outcome, raised, actioned, dealt_with in PRIORITIES:
            if dealt_with is not None:
                status = Priority.Status.CLOSED
            else:
                status = Priority.Status.IN_PROGRESS if action else Priority.Status.RAISED
            Priority.objects.get_or_create(
                team=team,
                title=title.format(place=place),
                defaults={
                    "action": action,
                    "outcome": outcome,
                    "raised_on": today - datetime.timedelta(days=raised),
                    "actioned_on": today - datetime.timedelta(days=actioned) if actioned else None,
                    "outcome_on": today - datetime.timedelta(days=dealt_with)
                    if dealt_with is not None
                    else None,
                    "status": status,
                },
            )
