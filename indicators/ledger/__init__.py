"""The task ledger (任务台账): the plan's concrete deliverables per task, their units'
monthly state with evidence, and the states shown on pages and in the bulletin."""
