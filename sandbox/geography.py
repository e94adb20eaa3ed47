"""Old path of :mod:`sandbox.base.geography`, kept for the courses (coursekit imports ``sandbox.geography``).

The same module object, not a copy: ``sandbox.geography is sandbox.base.geography``. New code imports the new path.
"""
import sys

from .base import geography as _module

sys.modules[__name__] = _module
