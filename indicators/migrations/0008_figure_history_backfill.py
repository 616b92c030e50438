"""Every figure has its history from its first write: figures written before (the demo,
early imports) get one first record — their current values, at their last update, by
whoever entered them — so that a later 更正 shows what it replaced (原值) instead of "—".
Figures that already have history are left alone."""

from django.db import migrations

REASON = "补记:写入时未留历史(演示数据或早期导入)"
BATCH = 1000


def backfill(apps, schema_editor):
    Figure = apps.get_model("indicators", "Figure")
    History = apps.get_model("indicators", "HistoricalFigure")
    fields = [f.attname for f in Figure._meta.concrete_fields]
    rows = []
    without = Figure.objects.exclude(pk__in=History.objects.values("id"))  # one subquery, no id list
    for f in without.order_by("pk").iterator(chunk_size=BATCH):
        values = {name: getattr(f, name) for name in fields}
        rows.append(
            History(
                **values,
                history_date=f.updated_at,
                history_type="+",
                history_user_id=f.entered_by_id,
                history_change_reason=REASON,
            )
        )
        if len(rows) >= BATCH:
            History.objects.bulk_create(rows)
            rows = []
    History.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_reporting_status_scores")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
