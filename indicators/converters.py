"""Periods in URLs, parsed once: `<month:period>` is a `date` (the month's first day) and
`<period_key:key>` a report's period as text ("2022-06" or "2022Q2"). Anything else is a
404 before a view runs, so that no raw path segment reaches a query, a header, a file
name or a session key. Registered on import (by every urls module that uses them)."""

from datetime import date

from django.urls import register_converter

from indicators.rules.periods import PeriodError, format_month, parse_month, parse_quarter


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        try:
            return parse_month(value)
        except PeriodError as exc:  # 2022-13, 1900-01: a 404, as for any unknown page
            raise ValueError(str(exc)) from exc

    def to_url(self, value) -> str:
        if isinstance(value, date):
            return format_month(value)
        return format_month(parse_month(str(value)))


class PeriodKeyConverter:
    """A dispatch's month or a bulletin's quarter, in its one spelling."""

    regex = r"[0-9]{4}-[0-9]{2}|[0-9]{4}Q[1-4]"

    def to_python(self, value: str) -> str:
        try:
            if "Q" in value:
                year, quarter = parse_quarter(value)
                if not 2000 <= year <= 2100:
                    raise PeriodError(value)
                return f"{year}Q{quarter}"
            return format_month(parse_month(value))
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value) -> str:
        return self.to_python(str(value))


register_converter(MonthConverter, "month")
register_converter(PeriodKeyConverter, "period_key")
