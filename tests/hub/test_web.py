"""The academy's own pages (hubext.web): each role reaches the front door in Chinese; others do not."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(300)]

FRONT = "services/academy/"


@pytest.mark.parametrize("account, role_name", [
    ("stu_a", "学员"), ("tr_demo", "培训师"), ("boss", "领导"), ("ops", "管理员"),
])
def test_each_role_reaches_the_front_door_in_chinese(academy_hub, account, role_name):
    s = academy_hub.login(account)
    r = s.get(academy_hub.url + FRONT, timeout=60)
    assert r.status_code == 200, r.text[:500]
    assert f"{account}（{role_name}）" in r.text
    assert "合成数据" in r.text and 'lang="zh-CN"' in r.text


def test_a_stranger_is_sent_to_the_hub_login(academy_hub):
    import requests
    r = requests.get(academy_hub.url + FRONT, timeout=60, allow_redirects=True)
    assert "/hub/login" in r.url


def test_unknown_page_is_a_chinese_404(academy_hub):
    s = academy_hub.login("stu_a")
    r = s.get(academy_hub.url + FRONT + "no-such-page", timeout=60)
    assert r.status_code == 404 and "页面不存在" in r.text and "Traceback" not in r.text
