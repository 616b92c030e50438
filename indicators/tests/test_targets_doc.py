"""docs/TARGETS.md lists every target of the plan file, generated from it: a target added
or a reading changed in the file without regenerating the table fails here."""

from pathlib import Path

from indicators.planfile.parse import parse_plan
from indicators.targets_doc import targets_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_table_is_the_plan_files():
    spec = parse_plan((ROOT / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8"))
    doc = (ROOT / "docs" / "TARGETS.md").read_text(encoding="utf-8")
    assert doc == targets_markdown(spec), "docs/TARGETS.md is stale: run python manage.py targets_doc"


def test_every_target_has_its_sentence_reading_reporters_timing_and_status():
    spec = parse_plan((ROOT / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8"))
    rows = [line for line in targets_markdown(spec).splitlines() if line.startswith("| ") and "---" not in line][1:]
    metrics = [m for a in spec.areas for m in a.metrics]
    assert len(rows) == len(metrics)
    by_code = {row.split(" | ")[0][2:]: row for row in rows}
    assert "待核定:上年基数" in by_code["post_filing_index"]
    assert "12月评判一次" in by_code["post_filing_index"]
    assert "节点:方案印发 2022-06-30" in by_code["no_application_policies"]
    assert "方案原文 |" in by_code["power_hv_steps"]  # 不超过3个环节: the plan's own words
    assert "全部县市区(12个)" in by_code["business_start_days"]
