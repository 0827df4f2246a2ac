"""Small counts that could identify someone are grouped.

In a breakdown (per region, category, organisation type…), every row counting fewer than
`SMALL_COUNT` (5) is merged into one "Autres" row; when that row still counts fewer than 5, it shows
"moins de 5" instead of its number. Zeros are left out: they identify nobody and say nothing."""

from django.utils.translation import gettext_lazy as _

SMALL_COUNT = 5
FEW = _("moins de 5")


def group_small(rows, threshold=SMALL_COUNT):
    """[(label, count)] -> the same with the rows under `threshold` merged into one "Autres" row
    (last), whose count is FEW when it is itself under `threshold`."""
    kept = [(label, n) for label, n in rows if n >= threshold]
    small = sum(n for _label, n in rows if 0 < n < threshold)
    if small:
        kept.append((_("Autres (moins de 5 chacun)"), small if small >= threshold else FEW))
    return kept


def at_least(count, threshold=SMALL_COUNT):
    """A headline count as it may be shown: the number, or FEW between 1 and the threshold."""
    return FEW if 0 < count < threshold else count
