"""Hub pages in Chinese: our templates first, then NativeAuthenticator's, then the hub's own.

Our templates extend the hub's with `{% extends "templates/page.html" %}` (the hub's own folder is
reachable under the `templates/` prefix)."""
from pathlib import Path

import nativeauthenticator

c = get_config()  # noqa: F821
HERE = Path(__file__).resolve().parent

c.JupyterHub.template_paths = [
    str(HERE / "templates"),
    str(Path(nativeauthenticator.__file__).parent / "templates"),
]
c.JupyterHub.template_vars = {
    "academy_name": "海东政务服务效能学院",
    "academy_name_en": "Haidong Service Academy",
    # Per-user: what the home page offers.
    "academy_role": lambda user: _role(user),
}


def _role(user):
    if user is None:
        return ""
    groups = {g.name for g in getattr(user, "groups", [])}
    for group, role in (("admins", "admin"), ("leaders", "leader"), ("trainers", "trainer"), ("trainees", "trainee")):
        if group in groups:
            return role
    return "disabled" if "disabled" in groups else ""
