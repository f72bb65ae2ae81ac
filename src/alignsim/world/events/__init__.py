"""Event types: one class per type, registered by name.

A new event type is one ``Event`` subclass with a ``type: Literal[...]`` field, decorated with
``@register``, in any module imported here.
"""

from alignsim.world.events import diplomatic, hostile, material, structural  # noqa: F401  (registration)
from alignsim.world.events.base import EVENT_TYPES, Event, register

__all__ = ["EVENT_TYPES", "Event", "register"]
