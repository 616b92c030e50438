"""Shared set-up of the `load_plan` tests: the 2022 plan file, loading it, an edited
copy of it, and a snapshot of every plan row (equal snapshots mean nothing changed)."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from actions.models import ActionArea, Indicator, Plan, Task, Unit
from indicators.models import Assignment, Benchmark, Metric

PLAN_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml"
PLAN_TEXT = PLAN_FILE.read_text(encoding="utf-8")
MODELS = [Unit, Plan, Indicator, ActionArea, Task, Metric, Assignment, Benchmark]


def load(path) -> str:
    out = StringIO()
    call_command("load_plan", str(path), stdout=out)
    return out.getvalue()


def edited(tmp_path, *replacements, text=PLAN_TEXT) -> Path:
    """The plan file with each (old, new) replaced exactly once."""
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} should occur once in the plan file"
        text = text.replace(old, new)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> dict:
    """Every row of every plan model, all fields: equal snapshots mean nothing changed."""

    def hashable(row):  # JSON fields (a plan's scoring, a metric's pending) as text
        return tuple(json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else v for v in row)

    return {model.__name__: sorted(map(hashable, model.objects.values_list()), key=lambda row: row[0]) for model in MODELS}


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}
