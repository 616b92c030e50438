"""The entry template's layout and limits, shared by writing it and reading it back:
its sheets, columns, first row and the sizes a file may have."""

from __future__ import annotations

import zipfile
import zlib

from openpyxl.utils import get_column_letter

from actions.models import TaskReport
from indicators.rules.types import MilestoneState, format_number

TEMPLATE_KIND = "hengyang-entry-v1"
META_SHEET = "_meta"
MAIN_SHEET = "月度填报"
TASK_SHEET = "任务进展"
FIRST_ROW = 4
EXTRA_ROWS = 50  # rows past the template's own that a file may hold before it is refused
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# openpyxl parses the shared strings whole on opening, at about a second per MB of short
# strings; a template's notes take a few KB (each note's 2,000-character maximum, 6 KB).
MAX_SHARED_STRINGS_BYTES = 768 * 1024
MAX_PART_BYTES = 1024 * 1024
MAX_RATIO = 200  # a real .xlsx compresses ~5-20×; hundreds-fold is a zip bomb

# What a damaged file raises while its XML is parsed (ElementTree's and lxml's parse
# errors are SyntaxErrors).
UNREADABLE = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError)

# (key, header, width, is_input)
COLUMNS = [
    ("code", "指标编码", 10, False),
    ("area", "行动", 16, False),
    ("name", "指标名称", 26, False),
    ("target", "目标", 20, False),
    ("uom", "计量单位", 9, False),
    ("last_month", "上月数据(参考)", 14, False),
    ("value", "数值", 11, True),
    ("numerator", "分子", 11, True),
    ("denominator", "分母", 11, True),
    ("cases", "件数", 9, True),
    ("state", "完成状态", 11, True),
    ("last_year", "上年同期值(市优化办核定)", 11, False),  # the office's data: shown, never typed
    ("explanation", "情况说明", 30, True),
    ("measures", "整改措施", 30, True),
]
COL = {key: i + 1 for i, (key, *_rest) in enumerate(COLUMNS)}
LETTER = {key: get_column_letter(i) for key, i in COL.items()}
HEADER = {key: header for key, header, *_ in COLUMNS}
NUMBER_KEYS = ("value", "numerator", "denominator", "cases")
TEXT_KEYS = ("explanation", "measures")
STATE_LABELS = {s.value: s.label for s in MilestoneState}

TASK_COLUMNS = [
    ("code", "任务编码", 10, False),
    ("area", "行动", 16, False),
    ("title", "任务", 40, False),
    ("state", "进展", 14, True),
    ("narrative", "进展情况", 60, True),
]
TCOL = {key: i + 1 for i, (key, *_rest) in enumerate(TASK_COLUMNS)}
TLETTER = {key: get_column_letter(i) for key, i in TCOL.items()}
THEADER = {key: header for key, header, *_ in TASK_COLUMNS}
TASK_STATE_WORDS = {**{s.value: s.value for s in TaskReport.State}, **{s.label: s.value for s in TaskReport.State}}


def _number_text(v) -> str:
    return "" if v is None else format_number(v)
