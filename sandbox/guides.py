"""Old path of :mod:`sandbox.practice.guides`, kept for the courses (coursekit imports ``sandbox.guides``).

The same module object, not a copy: ``sandbox.guides is sandbox.practice.guides``. New code imports the new path.
"""
import sys

from .practice import guides as _module

sys.modules[__name__] = _module
