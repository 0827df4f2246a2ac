# Canadian English (The Canadian Press style): "November 27, 2026", "8:30 a.m.", "1,234.50".
# Django's "en" writes "Nov. 27, 2026" and its en_CA "27 Nov 2026" with a space as thousands separator.
from django.conf.locale.en_CA.formats import *  # noqa: F403

DATE_FORMAT = "F j, Y"  # November 27, 2026
TIME_FORMAT = "P"  # 8:30 a.m., 9 a.m., noon
DATETIME_FORMAT = "F j, Y, P"  # November 27, 2026, 8:30 a.m.
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "F j"  # November 27
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d P"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
