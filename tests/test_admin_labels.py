"""The third-party admin pages the office and the administrator open (django-axes'
login records, django-celery-results' task results, django-celery-beat's schedules)
speak Chinese: the app names, model names, column headers, filters and field labels
(LANGUAGE_CODE zh-hans; what the packages do not translate, locale/ does)."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin

APPS = ["axes", "django_celery_results", "django_celery_beat"]
# Codes that are the same in Chinese text (an IP address, a task ID, HTTP's GET and POST …).
CODES = {"IP", "ID", "GET", "POST", "HTTP", "JSON", "UTC", "SHA", "URL", "AMQP", "Word"}
WORD = re.compile(r"[A-Za-z]{2,}")


class Labels(HTMLParser):
    """The text of what names things on an admin page: title, breadcrumbs, the app and
    model captions, column headers, filter titles, field labels and fieldset legends."""

    TAGS = {"title", "h1", "h2", "h3", "th", "label", "caption", "legend", "summary"}

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        # A changelist row's own cell (class field-…) holds a value, not a label.
        named = (tag in self.TAGS and not cls.startswith("field-")) or "breadcrumbs" in cls.split()
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.append(named)

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "input", "meta", "link", "hr") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if any(self.stack) and data.strip():
            self.text.append(data.strip())


def english(html: str, allowed=()) -> list[str]:
    parser = Labels()
    parser.feed(html)
    return sorted({w for t in parser.text for w in WORD.findall(t) if w not in CODES and w not in allowed})


def third_party_models():
    return [m for m in admin.site._registry if m._meta.app_label in APPS]


@pytest.mark.parametrize("app", APPS)
def test_the_app_and_its_models_have_chinese_names(app):
    config = apps.get_app_config(app)
    assert not [w for w in WORD.findall(str(config.verbose_name)) if w not in CODES], config.verbose_name
    for model in (m for m in third_party_models() if m._meta.app_label == app):
        for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
            assert not [w for w in WORD.findall(str(name)) if w not in CODES], (model, name)


def test_the_admin_index_and_every_changelist_show_no_english(client, users):
    client.force_login(users["admin"])
    pages = ["/admin/"] + [f"/admin/{a}/" for a in APPS]
    for model in third_party_models():
        opts = model._meta
        pages += [f"/admin/{opts.app_label}/{opts.model_name}/"]
        if admin.site._registry[model].has_add_permission(type("R", (), {"user": users["admin"]})()):
            pages += [f"/admin/{opts.app_label}/{opts.model_name}/add/"]
    found = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        if words := english(response.content.decode(), allowed={users["admin"].username}):
            found[page] = words
    assert not found, "\n".join(f"{page}: {words}" for page, words in found.items())
