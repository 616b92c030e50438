"""
WSGI config for hengyang_ybe project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hengyang_ybe.settings")

application = get_wsgi_application()


def warm_up() -> None:
    """Do at start what the first request would otherwise wait for: import every view
    (the URLconf), fill the URL reverse tables, connect the cache client and compile
    the project's templates (the cached loader keeps them). Then what is loaded is moved
    out of the garbage collector's sight (gc.freeze): a collection during a request
    no longer walks Django's own objects, which made a province page's time vary by a
    hundred milliseconds, and a forking server's workers keep sharing those pages.
    A worker answers its first request as fast as its hundredth (bench/run measures
    "first after restart" through this module)."""
    import gc
    from pathlib import Path

    from django.conf import settings
    from django.core.cache import cache
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    reverse("home")  # fills the reverse lookup tables
    try:
        cache.get("warm-up")  # the cache client and its connection
    except Exception:  # noqa: S110 (a cache server that is down is the pages' business: they fail open)
        pass
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            try:
                get_template(str(path.relative_to(folder)))
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
    gc.collect()
    gc.freeze()


warm_up()
