"""What a figure is computed over: a period (whole days in America/Toronto) and three filters."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


def local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class Scope:
    first_day: datetime.date
    last_day: datetime.date  # included
    region: str = ""  # a Region's slug (MRC)
    category: str = ""  # a ResourceCategory's slug (the board only)
    organisation_kind: str = ""  # an Organisation.Kind value

    @classmethod
    def last_twelve_months(cls, today=None, **filters):
        """From the first day of the month eleven months ago to today."""
        today = today or timezone.localdate()
        month, year = today.month - 11, today.year
        if month < 1:
            month, year = month + 12, year - 1
        return cls(datetime.date(year, month, 1), today, **filters)

    @property
    def start(self):
        return local_midnight(self.first_day)

    @property
    def end(self):
        """The first instant after the period."""
        return local_midnight(self.last_day + datetime.timedelta(days=1))

    @property
    def period(self):
        return {"start": self.start, "end": self.end}

    def months(self):
        """The first day of each month the period touches, in order."""
        day, found = self.first_day.replace(day=1), []
        while day <= self.last_day:
            found.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return found
