"""The Kubernetes Job for one grading batch (one course, one assignment, the new submissions).

On one machine the grade-on-submit service runs as root and switches uids: course work as
grader-<course>, submitted code as academy-grade (grading/README.md). A non-root pod cannot switch
uids, so on Kubernetes the two uids are two containers of one pod per batch:

- ``grader`` runs as the course's grader uid with the course root (gradebook, sources with hidden
  tests) and the exchange mounted: collect, autograde, feedback — the academy's own code only;
- ``sandbox`` runs as the sandbox uid with nothing mounted but the pod's scratch ``emptyDir``: the
  kernels that execute submitted code live there, so that code reaches neither the gradebook nor
  the sources nor another course nor the exchange;

both non-root, no capabilities, read-only root file systems, no service-account token, limits,
a deadline, and a NetworkPolicy (manifests/grading.yaml) that gives the pod no network at all.
The course service (the only pod with a token, allowed to create Jobs and nothing else) builds the
manifest with :func:`grading_job` and submits it with the Kubernetes API.

The pod is rendered by KubeSpawner's own ``make_pod`` (the same code that renders user pods), so
its security context follows exactly the rules the user pods follow. Values come from
``custom.academy`` of deploy/z2jh/values.yaml. Tested by tests/deploy/test_z2jh_render.py.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from kubespawner.objects import make_pod

SCRATCH = "/scratch"
COURSE_ROOT = "/srv/academy/courses"
_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

SECURE_CONTAINER = {
    "runAsNonRoot": True,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}


def _dns_label(*parts: str) -> str:
    name = "-".join(parts).lower().replace("_", "-")[:63].rstrip("-")
    if not _NAME_RE.match(name):
        raise ValueError(f"批改任务名称无效 / not a valid Kubernetes name: {name!r}")
    return name


def _resources(cfg: Mapping[str, Any]) -> dict[str, Any]:
    return {"cpu_limit": float(cfg["cpu"]["limit"]), "cpu_guarantee": float(cfg["cpu"]["guarantee"]),
            "mem_limit": cfg["memory"]["limit"], "mem_guarantee": cfg["memory"]["guarantee"]}


def _sandbox_container(image: str, uid: int, cfg: Mapping[str, Any]) -> dict[str, Any]:
    """Kernels for submitted code: only the scratch volume, its own uid, the same limits."""
    return {
        "name": "sandbox",
        "image": image,
        "args": ["python", "-m", "grading", "kernel-host", SCRATCH],
        "securityContext": {**SECURE_CONTAINER, "runAsUser": uid, "runAsGroup": uid},
        "resources": {"limits": {"cpu": str(cfg["cpu"]["limit"]), "memory": cfg["memory"]["limit"]},
                      "requests": {"cpu": str(cfg["cpu"]["guarantee"]), "memory": cfg["memory"]["guarantee"]}},
        "volumeMounts": [{"name": "scratch", "mountPath": SCRATCH}],
        "env": [{"name": "HOME", "value": SCRATCH}, {"name": "MALLOC_ARENA_MAX", "value": "2"}],
    }


def grading_pod(academy: Mapping[str, Any], course_id: str, assignment: str, students: Sequence[str],
                batch: str):
    """The pod of one grading batch (a kubernetes_asyncio V1Pod), built by KubeSpawner's make_pod."""
    if not students:
        raise ValueError("批改批次为空 / a grading batch needs at least one submission")
    grading = academy["grading"]
    grader_uid = int(academy["courses"][course_id]["graderUid"])
    sandbox_uid = int(grading["sandboxUid"])
    if sandbox_uid == grader_uid:
        raise ValueError("sandbox uid must differ from the grader uid")
    image = f"{grading['image']['name']}:{grading['image']['tag']}"
    exchange = academy["exchange"]
    cmd = ["python", "-m", "grading", "autograde", course_id, assignment, "--workers", "1", "--json"]
    for student in students:
        cmd += ["--student", student]
    return make_pod(
        name=_dns_label("grade", course_id, assignment, batch),
        cmd=cmd, port=8888, image=image,
        uid=grader_uid, gid=grader_uid, fs_gid=grader_uid, supplemental_gids=[],
        allow_privilege_escalation=False,
        container_security_context=SECURE_CONTAINER,
        pod_security_context={"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        env={"ACADEMY_ROOT": "/srv/academy", "ACADEMY_SINGLE_USER": "1", "HOME": SCRATCH,
             "ACADEMY_KERNEL_HOST": SCRATCH, "TZ": "Asia/Shanghai", "LANG": "C.UTF-8"},
        working_dir=SCRATCH,
        volumes=[
            {"name": "course-root", "persistentVolumeClaim": {"claimName": f"academy-course-{course_id}"}},
            {"name": "exchange", "persistentVolumeClaim": {"claimName": exchange["claimName"]}},
            {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}},
        ],
        volume_mounts=[
            {"name": "course-root", "mountPath": f"{COURSE_ROOT}/{course_id}"},
            {"name": "exchange", "mountPath": exchange["mountPath"]},
            {"name": "scratch", "mountPath": SCRATCH},
        ],
        labels={"app.kubernetes.io/name": "academy-grading", "academy.haidong/course": course_id,
                "academy.haidong/grading-batch": batch},
        automount_service_account_token=False,
        extra_containers=[_sandbox_container(image, sandbox_uid, grading)],
        extra_pod_config={"restartPolicy": "Never", "enableServiceLinks": False},
        **_resources(grading),
    )


def grading_job(academy: Mapping[str, Any], course_id: str, assignment: str, students: Sequence[str],
                batch: str) -> dict[str, Any]:
    """The Job manifest (a plain dict, ready for BatchV1Api.create_namespaced_job)."""
    from kubernetes_asyncio.client import ApiClient

    pod = grading_pod(academy, course_id, assignment, students, batch)
    body = ApiClient.sanitize_for_serialization(ApiClient.__new__(ApiClient), pod)
    grading = academy["grading"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": body["metadata"]["name"], "labels": body["metadata"]["labels"]},
        "spec": {
            "backoffLimit": 0,  # a failed batch is reported and retried by the service, not by k8s
            "activeDeadlineSeconds": int(grading["activeDeadlineSeconds"]),
            "ttlSecondsAfterFinished": int(grading["ttlSecondsAfterFinished"]),
            "template": {"metadata": {"labels": body["metadata"]["labels"]}, "spec": body["spec"]},
        },
    }
