"""The plan loader (indicators.planfile.parse.parse_plan, then `load_plan`) on hostile plan
files: the real 2022 file with one field replaced by an adversarial value or removed,
and random text. A file is loaded or refused with Chinese messages; a refused file
changes nothing in the database."""

import copy
import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import ActionArea, Indicator, Plan, Task, Unit
from indicators.models import Assignment, Benchmark, Metric
from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.planfile.specs import PlanSpec
from tests.hostile import hostile_value

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEXT = (ROOT / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8")
PLAN = yaml.safe_load(PLAN_TEXT)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MODELS = [Plan, Unit, Indicator, ActionArea, Task, Metric, Assignment, Benchmark]


def paths(node, prefix=()):
    """Every (path to a mapping, key) of the parsed plan."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix, key
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*prefix, i))


PATHS = list(paths(PLAN))


def mutated(where, key, value, delete):
    data = copy.deepcopy(PLAN)
    node = data
    for step in where:
        node = node[step]
    if delete:
        del node[key]
    else:
        node[key] = value
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)


def yaml_safe(value):
    """Values YAML can write: bytes and odd decimals as text."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if type(value).__name__ == "Decimal":
        return str(value)
    return value


def snapshot():
    return {m.__name__: sorted(m.objects.values_list(flat=False)) for m in MODELS}


def chinese(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@settings(max_examples=40, deadline=None)
@given(where=st.sampled_from(PATHS), value=hostile_value, delete=st.booleans())
def test_parse_plan_answers_a_spec_or_every_problem(where, value, delete):
    text = mutated(*where, yaml_safe(value), delete)
    try:
        spec = parse_plan(text)
    except PlanFileError as exc:
        assert exc.problems and all(chinese(p) for p in exc.problems), exc.problems
    else:
        assert isinstance(spec, PlanSpec)


@settings(max_examples=100, deadline=None)
@given(
    text=st.one_of(st.text(max_size=200), st.sampled_from(["", "---", "[]", "a: &a [*a]", "year: !!python/object:os.system {}"]))
)
def test_random_text_is_refused_cleanly(text):
    with pytest.raises(PlanFileError) as exc:
        parse_plan(text)
    assert all(chinese(p) for p in exc.value.problems)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(PATHS), value=hostile_value, delete=st.booleans())
def test_load_plan_writes_all_or_nothing(plan_2022, tmp_path, where, value, delete):
    path = tmp_path / "plan.yaml"
    path.write_text(mutated(*where, yaml_safe(value), delete), encoding="utf-8")
    before = snapshot()
    try:
        call_command("load_plan", str(path), stdout=io.StringIO())
    except CommandError as exc:
        assert chinese(str(exc))
        assert snapshot() == before, "a refused plan file changed the database"
