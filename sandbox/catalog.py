"""Old path of :mod:`sandbox.base.catalog`, kept for the courses (coursekit imports ``sandbox.catalog``).

The same module object, not a copy: ``sandbox.catalog is sandbox.base.catalog``. New code imports the new path.
"""
import sys

from .base import catalog as _module

sys.modules[__name__] = _module
