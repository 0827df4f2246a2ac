# Django's own fr_CA formats write "H h i", where the bare "h" is read as the 12-hour hour
# ("13 01 40"); Quebec writes "13 h 40", so the letter is escaped here.
from django.conf.locale.fr_CA.formats import *  # noqa: F403

TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"
