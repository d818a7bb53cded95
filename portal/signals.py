"""Every save or delete of content starts a new cache generation, after its transaction commits.

Each content app calls `watch_content` from its AppConfig.ready() with the models that are not
content, so a model added later is covered without anyone remembering to connect it, and the
portal needs to know nothing of the apps above it. Only those models: a receiver for every model
would stop Django deleting anything else in bulk (sessions, for instance), since it must then
send each row's signal.
"""

from collections.abc import Iterable

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import content_changed

_content_models: set[type] = set()


def content_saved_or_deleted(sender, raw=False, using=None, **kwargs):
    if not raw:
        content_changed(using)


def content_relations_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and type(instance) in _content_models:
        content_changed(using)


def watch_content(app_config: AppConfig, *, not_content: Iterable[str] = ()) -> None:
    """Every model of `app_config` except those named in `not_content` (model names, lower case)
    is content: what residents see. What residents' own requests write (survey responses, the
    finder's count of what nobody found) changes no public page and is named in `not_content`."""
    for model in app_config.get_models():
        if model._meta.model_name in not_content:
            continue
        _content_models.add(model)
        post_save.connect(content_saved_or_deleted, sender=model, weak=False)
        post_delete.connect(content_saved_or_deleted, sender=model, weak=False)
    m2m_changed.connect(content_relations_changed, weak=False, dispatch_uid="portal-content")
