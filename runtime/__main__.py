"""``python -m runtime``: print every setting with its environment variable, default and help."""
from runtime.settings import describe

print(describe())
