import datetime
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def london():
    """Build a wall-clock time in Essex: london(2027, 3, 2, 19)."""
    return lambda *parts: datetime.datetime(*parts, tzinfo=LONDON)
