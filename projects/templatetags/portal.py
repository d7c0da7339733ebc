"""Presentation filters: money, dates known to a day, a month or a year, and source lines."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext

from projects.models import Implementation, Outcome
from projects.search import snippet_html

register = template.Library()


@register.filter
def money(value) -> str:
    """Format euros in the active language: "48 806 €" in Finnish, "€48,806" in English."""
    if value is None or value == "":
        return "–"
    number = formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"€{number}" if (get_language() or "fi").startswith("en") else f"{number}\u00a0€"


@register.filter
def money_rounded(value) -> str:
    """Format euros as money() does, but a sum of ten million or more in millions or billions
    to three significant digits, short enough for a figure's card: "66 mrd. €", "€12.3
    million". A country's total has eleven digits, which overflowed the card."""
    if value is None or value == "" or value < 10**7:
        return money(value)
    if value >= 10**9:
        amount, words = Decimal(value) / 10**9, gettext("€%(amount)s billion")
    else:
        amount, words = Decimal(value) / 10**6, gettext("€%(amount)s million")
    decimals = max(0, 2 - int(amount.log10()))
    return words % {"amount": number(round(amount, decimals))}


@register.filter
def about(figure: str, estimated: bool) -> str:
    """Say that a formatted figure is an estimate, when it is one: "noin 260 000"."""
    return gettext("about %(count)s") % {"count": figure} if estimated else figure


@register.filter
def number(value, decimal_pos=None) -> str:
    """Format a number with the active language's grouping and decimal separator."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        value = value.normalize()  # 4.50 -> "4,5" and 60.00 -> "60": no trailing zeros
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


@register.filter
def projects_count(count: int) -> str:
    """Say how many projects: "1 hanke", "1 234 hanketta"."""
    return ngettext("%(shown)s project", "%(shown)s projects", count) % {"shown": number(count)}


@register.filter
def and_others(count: int) -> str:
    """Say how many more there are besides the one named: "ja 3 muuta"."""
    return ngettext("and %(counter)s other", "and %(counter)s others", count) % {"counter": count}


@register.filter
def count_up_to(value, limit) -> str:
    """Format a count taken up to `limit` + 1 (capped_count): "over 10 000" beyond `limit`."""
    if value > limit:
        return gettext("over %(number)s") % {"number": number(limit)}
    return number(value)


@register.filter
def partial_date(value, precision="day") -> str:
    """Format a date only as far as it is known: "1.10.2017", "lokakuu 2017" or "2017"."""
    if not value:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def outcome_kind(kind: str) -> str:
    """Return the translated name of an outcome kind ("participants" -> "osallistujat")."""
    return str(dict(Outcome.Kind.choices).get(kind, kind))


@register.filter
def implementer_role(role: str) -> str:
    """Return the translated name of an implementer's role ("co" -> "osatoteuttaja")."""
    return str(dict(Implementation.Role.choices).get(role, role))


@register.filter
def snippet(headline: str):
    """Show a search headline: the text escaped, the words found marked."""
    return snippet_html(headline)
