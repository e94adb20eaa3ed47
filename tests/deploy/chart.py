"""The Zero to JupyterHub chart's own code, run offline: values merged as Helm merges them, loaded
through the chart's hub ``jupyterhub_config.py`` and rendered into pods by KubeSpawner.

The chart mounts its rendered values and generated secrets into the hub pod under
``/usr/local/etc/jupyterhub/`` (``secret/values.yaml``, ``secret/<key>``, ``config/<name>``);
``z2jh.py`` reads them from that fixed path and honours no variable. ``load_hub_config`` lays the
same files out in a temporary directory and runs copies of the chart's two files in which only
that path constant is replaced (the count of replacements is checked, so a chart that moves the
path fails loudly instead of reading nothing).
"""
from __future__ import annotations

import asyncio
import copy
import secrets
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "z2jh" / "chart"
VALUES = REPO / "deploy" / "z2jh" / "values.yaml"
MOUNT = "/usr/local/etc/jupyterhub/"
# How often the chart's files spell the mount path (z2jh.py: values, config map, secrets;
# jupyterhub_config.py: jupyterhub_config.d, in a comment and in code).
MOUNT_USES = {"z2jh.py": 3, "jupyterhub_config.py": 2}
RELEASE = {"Name": "academy", "Namespace": "academy", "Service": "Helm"}
# Resource names the chart's hub ConfigMap exposes (release "academy", no fullnameOverride).
NAMES = {"hub": "hub", "proxy-api": "proxy-api", "proxy-public": "proxy-public",
         "user-scheduler": "user-scheduler", "priority": "academy-default-priority",
         "image-pull-secret": "image-pull-secret", "singleuser": "singleuser"}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def helm_merge(defaults: Any, override: Any) -> Any:
    """Helm's coalescing of a values file over the chart's values: maps merge key by key, anything
    else (lists included) is replaced, and an explicit null deletes the chart's default."""
    if not (isinstance(defaults, dict) and isinstance(override, dict)):
        return copy.deepcopy(override)
    out = copy.deepcopy(defaults)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def merged_values(ours: dict | None = None) -> dict:
    return helm_merge(load_yaml(CHART / "values.yaml"), load_yaml(VALUES) if ours is None else ours)


def schema() -> dict:
    return load_yaml(CHART / "values.schema.yaml")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def mount_tree(base: Path, values: dict) -> Path:
    """What the chart mounts into the hub pod: rendered values + Chart/Release, generated secrets,
    resource names. Returns the directory standing for /usr/local/etc/jupyterhub."""
    etc = base / "etc"
    rendered = dict(values, Chart={"Name": "jupyterhub", "Version": "4.3.1"}, Release=RELEASE)
    _write(etc / "secret" / "values.yaml", yaml.safe_dump(rendered, allow_unicode=True))
    _write(etc / "secret" / "hub.config.JupyterHub.cookie_secret", secrets.token_hex(32))
    _write(etc / "secret" / "hub.config.CryptKeeper.keys", secrets.token_hex(32))
    for service in (values["hub"].get("services") or {}):
        _write(etc / "secret" / f"hub.services.{service}.apiToken", secrets.token_hex(32))
    for key, name in NAMES.items():
        _write(etc / "config" / key, name)
    return etc


def chart_code(base: Path, etc: Path) -> Path:
    """Copies of the chart's hub files reading from ``etc`` instead of /usr/local/etc/jupyterhub."""
    code = base / "code"
    code.mkdir(parents=True, exist_ok=True)
    for name, uses in MOUNT_USES.items():
        text = (CHART / name).read_text(encoding="utf-8")
        found = text.count(MOUNT)
        if found != uses:
            raise AssertionError(f"{name} names {MOUNT} {found} times, expected {uses}: chart changed")
        (code / name).write_text(text.replace(MOUNT, str(etc) + "/"), encoding="utf-8")
    return code


def load_hub_config(base: Path, values: dict, monkeypatch) -> Any:
    """Run the chart's jupyterhub_config.py on ``values``; returns the traitlets Config it builds."""
    from tornado.httpclient import AsyncHTTPClient
    from traitlets.config.loader import PyFileConfigLoader

    etc = mount_tree(base, values)
    code = chart_code(base, etc)
    # Kubernetes sets *_SERVICE_PORT for Services and POD_NAMESPACE through the downward API.
    monkeypatch.setenv("HUB_SERVICE_PORT", "8081")
    monkeypatch.setenv("PROXY_API_SERVICE_PORT", "8001")
    monkeypatch.setenv("POD_NAMESPACE", "academy")
    monkeypatch.delitem(sys.modules, "z2jh", raising=False)  # its lru_caches belong to one load
    monkeypatch.setattr(sys, "path", list(sys.path))  # the config inserts its own directory
    impl = AsyncHTTPClient.configured_class()
    try:
        return PyFileConfigLoader("jupyterhub_config.py", path=str(code)).load_config()
    finally:
        AsyncHTTPClient.configure(impl)  # the chart switches the process to curl; undo it
        sys.modules.pop("z2jh", None)


def fake_kubeconfig(base: Path, monkeypatch) -> None:
    """KubeSpawner loads a kube config when constructed; give it one that is never contacted."""
    cfg = {"apiVersion": "v1", "kind": "Config", "current-context": "offline",
           "clusters": [{"name": "offline", "cluster": {"server": "https://127.0.0.1:6443"}}],
           "users": [{"name": "offline", "user": {"token": "offline"}}],
           "contexts": [{"name": "offline", "context": {"cluster": "offline", "user": "offline"}}]}
    path = base / "kubeconfig"
    _write(path, yaml.safe_dump(cfg))
    from kubernetes_asyncio.config import kube_config

    # read once at import time from $KUBECONFIG, so set where load_kube_config() looks
    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def person(name: str, user_id: int, groups: list[str]) -> SimpleNamespace:
    """The parts of a hub User that KubeSpawner and the academy's hooks read."""
    return SimpleNamespace(name=name, id=user_id, url=f"/user/{name}/", escaped_name=name,
                           groups=[SimpleNamespace(name=g) for g in groups], orm_user=None)


def to_dict(obj: Any) -> Any:
    from kubernetes_asyncio.client import ApiClient

    return ApiClient.sanitize_for_serialization(ApiClient.__new__(ApiClient), obj)


async def _pod_manifest(config: Any, user: SimpleNamespace) -> dict:
    from jupyterhub.objects import Hub
    from kubespawner import KubeSpawner

    hub = Hub(ip="0.0.0.0", port=8081, base_url="/hub/", connect_url="http://hub:8081")
    spawner = KubeSpawner(config=config, user=user, hub=hub)
    spawner.api_token = secrets.token_hex(16)
    spawner.user_options = {}
    await spawner.load_user_options()  # applies the profile the person gets, as start() does
    return to_dict(await spawner.get_pod_manifest())


def render_user_pod(config: Any, user: SimpleNamespace) -> dict:
    return asyncio.run(_pod_manifest(config, user))


def container(pod: dict, name: str = "notebook") -> dict:
    return next(c for c in pod["spec"]["containers"] if c["name"] == name)


def mounts(c: dict) -> dict[str, dict]:
    return {m["mountPath"]: m for m in c.get("volumeMounts") or []}


def env_dict(c: dict) -> dict[str, str]:
    return {e["name"]: e.get("value") for e in c.get("env") or []}


def uid_of(pod: dict, name: str = "notebook") -> int:
    return int(container(pod, name)["securityContext"]["runAsUser"])

