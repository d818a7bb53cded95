"""A database rule that also speaks to staff: one home for each rule a form must explain."""

from django.core.exceptions import ValidationError
from django.db import models


class FieldCheckConstraint(models.CheckConstraint):
    """A CheckConstraint whose message, when Django validates the model (a form's
    `full_clean`, through `validate_constraints`), belongs to one field, so the error summary
    links to the box to change.

    The database enforces the rule; the form shows `violation_error_message` beside `field`.
    No `clean()` repeats it.
    """

    def __init__(self, *, field: str, **kwargs):
        self.field = field
        super().__init__(**kwargs)

    def validate(self, model, instance, exclude=None, **kwargs):
        try:
            super().validate(model, instance, exclude=exclude, **kwargs)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "field", None) == self.field
