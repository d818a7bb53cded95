"""Every save or delete of content starts a new cache generation, after its transaction commits.

One receiver for every content model (see portal.cache.CONTENT_APPS), so a model added later is
covered without anyone remembering to connect it; many-to-many changes count too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import content_changed, is_content


@receiver(post_save)
@receiver(post_delete)
def content_saved_or_deleted(sender, raw=False, using=None, **kwargs):
    if not raw and is_content(sender):
        content_changed(using)


@receiver(m2m_changed)
def content_relations_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and is_content(type(instance)):
        content_changed(using)
