"""Old path of :mod:`sandbox.hall.scenario`, kept for the courses (coursekit imports ``sandbox.scenario``).

The same module object, not a copy: ``sandbox.scenario is sandbox.hall.scenario``. New code imports the new path.
"""
import sys

from .hall import scenario as _module

sys.modules[__name__] = _module
