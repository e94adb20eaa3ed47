"""Old path of :mod:`sandbox.base.population`, kept for the courses (coursekit imports ``sandbox.population``).

The same module object, not a copy: ``sandbox.population is sandbox.base.population``. New code imports the new path.
"""
import sys

from .base import population as _module

sys.modules[__name__] = _module
