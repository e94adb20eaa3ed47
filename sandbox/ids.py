"""Old path of :mod:`sandbox.base.ids`, kept for the courses (coursekit imports ``sandbox.ids``).

The same module object, not a copy: ``sandbox.ids is sandbox.base.ids``. New code imports the new path.
"""
import sys

from .base import ids as _module

sys.modules[__name__] = _module
