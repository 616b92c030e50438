"""The page header says who is signed in with each piece once: name · unit, and the role
only where the name and unit do not already say it (issue 23: the office's header read
"市优化办 · 市优化办 · 市优化营商环境协调事务中心")."""

import re

import pytest
from django.contrib.auth.models import User

from actions.models import Membership, Unit
from indicators.management.commands.seed_demo import DEMO_USERS


def _who(html: str) -> str:
    return re.search(r'<div class="who">\s*<span>(.*?)</span>', html, flags=re.S).group(1)


@pytest.mark.parametrize(
    ("username", "header"),
    [
        ("hengnan_tb", "衡南县填报员"),
        ("tax_tb", "税务局填报员 · 国家税务总局衡阳市税务局"),
        ("hengnan_sh", "衡南县审核人"),
        ("amr_qt", "市场监管局(指标牵头) · 市市场监督管理局"),
        ("office", "市优化办 · 市优化营商环境协调事务中心"),
        ("leader", "市领导"),
    ],
)
def test_demo_headers_say_each_piece_once(client, plan_2022, username, header):
    _, name, role, unit_code = next(u for u in DEMO_USERS if u[0] == username)
    user = User.objects.create_user(username=username, first_name=name)
    Membership.objects.create(user=user, role=role, unit=Unit.objects.get(code=unit_code) if unit_code else None)
    client.force_login(user)
    assert _who(client.get("/").content.decode()) == header


@pytest.mark.parametrize(
    ("role", "unit_code", "header"),
    [
        (Membership.Role.REPORTER, "hengnan", "张三 · 衡南县 · 填报员"),
        (Membership.Role.APPROVER, "hengnan", "张三 · 衡南县 · 单位审核人"),
        (Membership.Role.LEAD, "amr", "张三 · 市市场监督管理局 · 指标牵头单位"),
        (Membership.Role.OFFICE, "office", "张三 · 市优化营商环境协调事务中心 · 市优化办"),
        (Membership.Role.LEADER, None, "张三 · 领导"),
    ],
)
def test_a_personal_name_keeps_unit_and_role(client, plan_2022, role, unit_code, header):
    user = User.objects.create_user(username="zhangsan", first_name="张三")
    Membership.objects.create(user=user, role=role, unit=Unit.objects.get(code=unit_code) if unit_code else None)
    client.force_login(user)
    assert _who(client.get("/").content.decode()) == header
