"""A task travels through the real broker to a real worker process and back."""

import pytest
from django.conf import settings

from indicators.models import Figure
from indicators.tasks import figures_count


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_through_the_broker(celery_worker_process, plan_2022):
    from actions.models import Unit
    from indicators.models import Metric

    metric = Metric.objects.get(plan=plan_2022, code="business_start_days")
    Figure.objects.create(unit=Unit.objects.get(code="qidong"), metric=metric, period="2022-06-01", value=1, cases=3)

    result = figures_count.delay("2022-06")

    assert result.get(timeout=60) == 1  # counted by the worker, in its own process
    assert not settings.CELERY_TASK_ALWAYS_EAGER
