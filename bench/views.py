"""The floor: the cheapest page this stack can serve to a logged-in user (same
middleware, session, user and membership lookups, base template), so that every real
page can be read as a multiple of it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines

FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}基准{% endblock %}{% block content %}<p>基准页</p>{% endblock %}'
)


@login_required
def floor(request):
    return HttpResponse(FLOOR.render({}, request))
