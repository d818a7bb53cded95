import inspect

import factory
import pytest

from tests import factories

ALL_FACTORIES = [
    cls
    for _, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls.__module__ == factories.__name__
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda cls: cls.__name__)
def test_every_factory_builds_a_saved_object(factory_class):
    instance = factory_class()
    assert instance.pk is not None
    assert str(instance)
