"""Shared set-up of the stored-status tests (test_status_store*.py,
test_status_refresh_command.py): June 2022, a stored status row, and a board as
comparable tuples."""

from datetime import date

from actions.models import Unit
from indicators.models import TargetStatus

JUNE = date(2022, 6, 1)


def stored(metric_code, unit_code, period=JUNE):
    unit = None if unit_code is None else Unit.objects.get(code=unit_code)
    return TargetStatus.objects.get(metric__code=metric_code, unit=unit, period=period)


def board_tuples(board):
    return [(r.unit_code, r.metric.code, r.status, r.value, r.last_year, r.other, r.grey_reason) for r in board.rows()]
