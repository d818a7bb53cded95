"""Every save or delete of content starts a new cache generation, after its transaction commits.

Connected to every model of the content apps (portal.cache.CONTENT_APPS) when the apps are
ready, so a model added later is covered without anyone remembering to connect it. Only those
models: a receiver for every model would stop Django deleting anything else in bulk (sessions,
for instance), since it must then send each row's signal.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import content_changed, is_content


def content_saved_or_deleted(sender, raw=False, using=None, **kwargs):
    if not raw:
        content_changed(using)


def content_relations_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and is_content(type(instance)):
        content_changed(using)


def connect() -> None:
    for model in apps.get_models():
        if is_content(model):
            post_save.connect(content_saved_or_deleted, sender=model, weak=False)
            post_delete.connect(content_saved_or_deleted, sender=model, weak=False)
    m2m_changed.connect(content_relations_changed, weak=False)
