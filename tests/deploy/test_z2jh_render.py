"""deploy/z2jh/values.yaml through the Zero to JupyterHub chart's own code, offline.

Merged over the chart's values as Helm merges them, validated against the chart's schema, loaded by
the chart's hub jupyterhub_config.py (tests/deploy/chart.py) and rendered by KubeSpawner 7.1.0 into
the pods of a trainee, a trainer and a grading batch. `pod_problems` is the checklist; it is also
run on the chart's defaults, where it must find problems (so the checklist can fail).
"""
from __future__ import annotations

import filecmp
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.deploy import chart

pytestmark = pytest.mark.timeout(120)

SHARED = [chart.REPO.parent / "shared" / "z2jh", Path("/work/shared/z2jh")]
EXCHANGE = "/srv/academy/exchange"


@pytest.fixture(scope="module")
def values() -> dict:
    return chart.merged_values()


@pytest.fixture
def hub_config(values, tmp_path, monkeypatch):
    cfg = chart.load_hub_config(tmp_path, values, monkeypatch)
    chart.fake_kubeconfig(tmp_path, monkeypatch)
    return cfg


def pod_problems(pod: dict) -> list[str]:
    """What must never be true of an academy pod (user or grading)."""
    spec = pod["spec"]
    found = []
    if spec.get("automountServiceAccountToken") is not False:
        found.append("service-account token mounted")
    psc = spec.get("securityContext") or {}
    if psc.get("runAsNonRoot") is not True:
        found.append("pod may run as root")
    for c in (spec.get("initContainers") or []) + spec["containers"]:
        csc = c.get("securityContext") or {}
        uid = csc.get("runAsUser", psc.get("runAsUser"))
        if uid in (None, 0) or csc.get("privileged") or csc.get("allowPrivilegeEscalation") is not False:
            found.append(f"{c['name']}: root, privileged or may escalate ({csc})")
        if (csc.get("capabilities") or {}).get("drop") != ["ALL"]:
            found.append(f"{c['name']}: capabilities not dropped")
        limits = (c.get("resources") or {}).get("limits") or {}
        if not {"cpu", "memory"} <= set(limits):
            found.append(f"{c['name']}: no cpu/memory limit")
    return found


# -- the values file and the chart's copies -----------------------------------------------------

def test_vendored_chart_files_are_the_shared_ones():
    shared = next((p for p in SHARED if p.is_dir()), None)
    if shared is None:
        pytest.skip("shared/z2jh not present")
    for name in ("values.yaml", "values.schema.yaml", "jupyterhub_config.py", "z2jh.py"):
        assert filecmp.cmp(chart.CHART / name, shared / name, shallow=False), name


def test_helm_merge_merges_maps_replaces_lists_and_nulls_delete():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "c": {"keep": True}}
    ours = {"a": {"y": [3], "z": 2}, "b": None}
    assert chart.helm_merge(base, ours) == {"a": {"x": 1, "y": [3], "z": 2}, "c": {"keep": True}}


def test_values_validate_against_the_chart_schema(values):
    jsonschema.validate(values, chart.schema())
    assert values["hub"]["db"]["type"] == "postgres"
    assert values["hub"]["loadRoles"]["academy-leader"]["scopes"] == ["access:services!service=dashboards"]


def test_schema_catches_a_typo(values):
    bad = chart.helm_merge(values, {"hub": {"confg": {}}})
    with pytest.raises(jsonschema.ValidationError, match="confg"):
        jsonschema.validate(bad, chart.schema())


# -- the hub configuration the chart's code builds ----------------------------------------------

def test_hub_config_from_the_charts_own_code(hub_config):
    c = hub_config
    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    assert c.JupyterHub.authenticator_class == "hubext.auth.AcademyAuthenticator"
    assert c.JupyterHub.db_url.startswith("postgresql+psycopg2://")
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert {"demo", "guides", "walkthrough", "dashboards", "jupyterhub-idle-culler"} <= set(services)
    assert all(services[n]["api_token"] for n in ("demo", "dashboards"))  # from the chart's secret
    cull = services["jupyterhub-idle-culler"]["command"]
    assert "--timeout=3600" in cull and "--cull-every=300" in cull and "--cull-users" not in cull
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["jupyterhub-idle-culler"]["scopes"] == ["list:users", "read:users:activity",
                                                       "read:servers", "delete:servers"]
    assert roles["formgrade-guides"]["groups"] == ["formgrade-guides"]
    assert callable(c.KubeSpawner.profile_list) and callable(c.KubeSpawner.uid)
    assert c.KubeSpawner.automount_service_account_token is False
    assert c.KubeSpawner.init_containers == []  # no privileged iptables container


# -- pods -----------------------------------------------------------------------------------------

def test_trainee_pod(hub_config):
    pod = chart.render_user_pod(hub_config, chart.person("xueyuan01", 7, ["trainees", "course-demo"]))
    assert pod_problems(pod) == []
    nb = chart.container(pod)
    assert chart.uid_of(pod) == 100007 and nb["securityContext"]["runAsGroup"] == 100007
    assert pod["spec"]["securityContext"]["fsGroup"] == 100007
    assert not pod["spec"]["securityContext"].get("supplementalGroups")
    assert "serviceAccountName" not in pod["spec"] or not pod["spec"]["serviceAccountName"]
    assert nb["resources"]["limits"] == {"cpu": 1.0, "memory": 2 * 1024**3}
    assert nb["resources"]["requests"] == {"cpu": 0.2, "memory": 512 * 1024**2}
    m = chart.mounts(nb)
    assert not m[EXCHANGE].get("readOnly")  # trainees submit into it
    assert m["/srv/academy/lessons"]["readOnly"] and m["/srv/academy/etc/jupyter"]["readOnly"]
    assert m["/home/jovyan"]["name"] == "volume-xueyuan01"
    claims = {v["name"]: (v.get("persistentVolumeClaim") or {}).get("claimName") for v in pod["spec"]["volumes"]}
    assert claims["academy-exchange"] == "academy-exchange"
    assert chart.env_dict(nb)["JUPYTER_CONFIG_PATH"] == "/srv/academy/etc/jupyter"
    assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    assert not pod["spec"].get("initContainers")


def test_trainer_pod_gets_the_trainer_profile(hub_config):
    pod = chart.render_user_pod(hub_config, chart.person("peixun01", 3, ["trainers", "formgrade-demo"]))
    assert pod_problems(pod) == []
    nb = chart.container(pod)
    assert nb["resources"]["limits"] == {"cpu": 2.0, "memory": 4 * 1024**3}
    assert chart.uid_of(pod) == 100003
    assert EXCHANGE in chart.mounts(nb)


def test_every_person_gets_their_own_uid(hub_config):
    uids = {chart.uid_of(chart.render_user_pod(hub_config, chart.person(f"xueyuan{i:02d}", i, ["trainees"])))
            for i in range(1, 6)}
    assert len(uids) == 5 and min(uids) > 100000


def test_the_charts_defaults_fail_the_checklist(tmp_path, monkeypatch):
    """Without our values: one shared uid 1000, a privileged root init container, no limits."""
    bare = chart.helm_merge(chart.load_yaml(chart.CHART / "values.yaml"), {})
    cfg = chart.load_hub_config(tmp_path, bare, monkeypatch)
    chart.fake_kubeconfig(tmp_path, monkeypatch)
    pod = chart.render_user_pod(cfg, chart.person("xueyuan01", 7, ["trainees"]))
    problems = pod_problems(pod)
    assert any("block-cloud-metadata" in p for p in problems), problems
    assert any("no cpu/memory limit" in p for p in problems), problems
    assert chart.uid_of(pod) == 1000


def test_grading_job_pod(values, hub_config):
    from deploy.z2jh.grading_job import grading_job

    academy = values["custom"]["academy"]
    job = grading_job(academy, "demo", "ps1", ["xueyuan01", "xueyuan02"], "b0001")
    assert job["kind"] == "Job" and job["spec"]["backoffLimit"] == 0
    assert job["spec"]["activeDeadlineSeconds"] == 900
    pod = {"metadata": job["spec"]["template"]["metadata"], "spec": job["spec"]["template"]["spec"]}
    assert pod_problems(pod) == []
    spec = pod["spec"]
    assert spec["restartPolicy"] == "Never"
    grader, sandbox = chart.container(pod, "notebook"), chart.container(pod, "sandbox")
    assert grader["securityContext"]["runAsUser"] == 30001
    assert sandbox["securityContext"]["runAsUser"] == 29999
    for c in (grader, sandbox):
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["resources"]["limits"]["memory"] in (1024**3, "1G")
    assert set(chart.mounts(grader)) == {"/srv/academy/courses/demo", EXCHANGE, "/scratch"}
    assert set(chart.mounts(sandbox)) == {"/scratch"}  # submitted code sees no course, no exchange
    assert grader["args"][-4:] == ["--student", "xueyuan01", "--student", "xueyuan02"]
    # the pod's labels are the ones manifests/network.yaml cuts off the network
    policies = {p["metadata"]["name"]: p for p in yaml.safe_load_all(
        (chart.REPO / "deploy" / "z2jh" / "manifests" / "network.yaml").read_text(encoding="utf-8"))}
    iso = policies["academy-grading-isolated"]
    assert iso["spec"]["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert iso["spec"]["egress"] == [] and iso["spec"]["ingress"] == []


def test_grading_job_refuses_a_sandbox_with_the_graders_uid(values):
    from deploy.z2jh.grading_job import grading_pod

    academy = chart.helm_merge(values["custom"]["academy"], {"grading": {"sandboxUid": 30001}})
    with pytest.raises(ValueError, match="sandbox uid"):
        grading_pod(academy, "demo", "ps1", ["xueyuan01"], "b1")


def test_user_pods_reach_neither_database_nor_services(values):
    egress = values["singleuser"]["networkPolicy"]["egressAllowRules"]
    assert egress["privateIPs"] is False and egress["nonPrivateIPs"] is False
    assert egress["cloudMetadataServer"] is False and values["singleuser"]["cloudMetadata"]["blockWithIptables"] is False
    policies = {p["metadata"]["name"]: p for p in yaml.safe_load_all(
        (chart.REPO / "deploy" / "z2jh" / "manifests" / "network.yaml").read_text(encoding="utf-8"))}
    pg = policies["academy-postgres-ingress"]["spec"]["ingress"][0]["from"]
    allowed = yaml.safe_dump(pg)
    assert "singleuser" not in allowed and "academy-grading" not in allowed
    assert {"app": "jupyterhub", "component": "hub"} in [p["podSelector"].get("matchLabels") for p in pg]


def test_manifests_run_nothing_as_root_but_the_exchange_init():
    root_containers, tokens = [], []
    for path in sorted((chart.REPO / "deploy" / "z2jh" / "manifests").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            assert doc.get("kind") and doc.get("metadata", {}).get("name"), path
            spec = ((doc.get("spec") or {}).get("template") or {}).get("spec")
            if not spec:
                continue
            if spec.get("automountServiceAccountToken") is not False:
                tokens.append(doc["metadata"]["name"])
            psc = spec.get("securityContext") or {}
            for c in spec.get("initContainers", []) + spec["containers"]:
                csc = c.get("securityContext") or {}
                if csc.get("runAsUser", psc.get("runAsUser")) in (None, 0):
                    root_containers.append(f"{doc['metadata']['name']}/{c['name']}")
                assert csc.get("allowPrivilegeEscalation") is False and not csc.get("privileged"), c["name"]
    assert root_containers == ["academy-exchange-init/layout"]
    assert tokens == ["academy-course-demo"]  # creates grading Jobs; nothing else holds a token
