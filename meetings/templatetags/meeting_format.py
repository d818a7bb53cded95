from django import template

from portal.clock import clock_time, long_date, time_range

register = template.Library()

register.filter("clock_time", clock_time)
register.filter("meeting_date", long_date)


@register.simple_tag
def times(start, end) -> str:
    return time_range(start, end)


@register.filter
def yes_no(value) -> str:
    """A yes/no/unknown answer in words."""
    return {True: "Yes", False: "No"}.get(value, "Not known")
