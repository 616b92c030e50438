"""Shared helpers of the hostile Excel tests (tests/test_hostile_excel_*.py): the columns
of the 月度填报 sheet, 衡南县 (whose reporter uploads), and the problems of a refused
upload. The logged-in `reporter` fixture is in tests/conftest.py."""

from actions.models import Unit
from indicators.excel.layout import COL

VALUE, NUM, DEN, CASES, NOTE = (COL[k] for k in ("value", "numerator", "denominator", "cases", "explanation"))


def problems(response) -> list[str]:
    assert response.status_code == 400, "the file was accepted"
    return response.context["problems"]


def hengnan():
    return Unit.objects.get(code="hengnan")
