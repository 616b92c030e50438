"""What the apps above add beside a late deliverable on the ledger pages (督查督办: the
open order on it, or 督办 for the office). A hook: indicators never imports reports; an
app registers `hook(user=, period=, items=[(deliverable, unit)])` → {(deliverable pk,
unit pk): [(text, url)]} in its AppConfig.ready()."""

from __future__ import annotations

from datetime import date

LATE_ITEM_LINKS_HOOKS: list = []


def late_item_links(*, user, period: date, items: list[tuple]) -> dict[tuple[int, int], list[tuple[str, str]]]:
    out: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for hook in LATE_ITEM_LINKS_HOOKS:
        for key, links in hook(user=user, period=period, items=items).items():
            out.setdefault(key, []).extend(links)
    return out
