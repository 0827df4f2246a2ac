"""Money in Canadian conventions: "1 234,50 $" in French, "$1,234.50" in English."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_money(amount, language=None):
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = value == value.to_integral_value()
    language = (language or get_language() or "fr").lower()
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.0f}" if whole else f"{abs(value):,.2f}"
    if language.startswith("en"):
        return f"{sign}${digits}"
    digits = digits.replace(",", NNBSP).replace(".", ",")
    return f"{sign}{digits}{NBSP}$"
