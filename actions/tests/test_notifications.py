"""The notification list with its unread count in the navigation, and marking read."""

from django.urls import reverse

from actions.models import Notification
from actions.services import notify


def test_unread_count_in_nav_and_list(client, users):
    notify(users=[users["reporter"], users["reporter"]], text="衡南县2022年6月数据被市优化办退回", url="/indicators/entry/")
    notify(users=[users["office"]], text="别人的通知")
    client.force_login(users["reporter"])
    body = client.get(reverse("actions:notifications")).content.decode()
    assert 'data-testid="unread">1<' in body  # one per user, however often listed
    assert "被市优化办退回" in body and "别人的通知" not in body


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, users):
    notify(users=[users["reporter"]], text="请查看", url="/indicators/entry/")
    n = Notification.objects.get()
    client.force_login(users["reporter"])
    response = client.post(reverse("actions:notifications-read"), {"id": n.pk})
    assert response.url == "/indicators/entry/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_touches_only_my_notifications(client, users):
    notify(users=[users["reporter"], users["office"]], text="x")
    client.force_login(users["reporter"])
    client.post(reverse("actions:notifications-read"))
    assert Notification.objects.filter(read_at__isnull=True).get().user == users["office"]


def test_empty_state(client, users):
    client.force_login(users["leader"])
    assert "暂无通知" in client.get(reverse("actions:notifications")).content.decode()
