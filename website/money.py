"""Money in Canadian conventions: "1 234,50 $" in French, "$1,234.50" in English.

The digits come from Django's localisation (`number_format` with our fr-CA and en format modules, in
`website/formats/`); only the place of the dollar sign is decided here."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.formats import number_format

NBSP = "\u00a0"


def format_money(amount, language=None):
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if value == value.to_integral_value() else 2
    language = (language or translation.get_language() or "fr").lower()
    sign = "-" if value < 0 else ""
    with translation.override(language):
        digits = number_format(abs(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if language.startswith("en"):
        return f"{sign}${digits}"
    return f"{sign}{digits}{NBSP}$"
