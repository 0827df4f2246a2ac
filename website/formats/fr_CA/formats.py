# French as written in Quebec (OQLF, CLDR fr-CA): "27 novembre 2026", "8 h 30", "1 234,50".
# Django's own fr_CA formats write "H h i": a zero-padded hour ("08 h 30"), and the bare "h" is read as
# the 12-hour hour ("13 01 40"); here the hour is unpadded and the letter escaped.
from django.conf.locale.fr_CA.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 27 novembre 2026
TIME_FORMAT = "G\xa0\\h\xa0i"  # 8 h 30, 13 h 40
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"  # 27 novembre 2026, 8 h 30
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space, as CLDR writes French (and website.money)
NUMBER_GROUPING = 3
