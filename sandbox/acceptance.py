"""Old path of :mod:`sandbox.practice.acceptance`, kept for the courses (coursekit imports ``sandbox.acceptance``).

The same module object, not a copy: ``sandbox.acceptance is sandbox.practice.acceptance``. New code imports the new path.
"""
import sys

from .practice import acceptance as _module

sys.modules[__name__] = _module
