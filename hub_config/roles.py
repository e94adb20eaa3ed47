"""RBAC (docs/architecture.md, "Roles and groups").

| who | group | may |
|---|---|---|
| trainee | trainees (+ course-<id>) | own server only |
| trainer | trainers, formgrade-<id> | own server; the formgrader service of each course taught |
| leader | leaders | the dashboards service, nothing else (no server of their own) |
| admin | admins | manage users, groups, servers and tokens; the dashboards; own server; never enter another person's server |
| disabled | disabled | nothing |
Membership comes from the roster, so adding a trainer to a course is a group change: no restart.
"""
from academy.db import registered_courses
from runtime.settings import current

c = get_config()  # noqa: F821
P = current().paths
ACADEMY_PAGES = "access:services!service=academy"  # hubext.web: each page checks the role itself

roles = [
    # Every user holds `user`: only reading their own name and groups (what an OAuth login to a
    # service asks for), so belonging to no academy group grants nothing else.
    {"name": "user", "description": "仅本人信息（其余按角色组授权）",
     "scopes": ["read:users:name!user", "read:users:groups!user"]},
    {"name": "academy-trainee", "description": "学员：自己的服务器；学院页面", "scopes": ["self", ACADEMY_PAGES],
     "groups": ["trainees"]},
    {"name": "academy-trainer", "description": "培训师：自己的服务器；学院页面", "scopes": ["self", ACADEMY_PAGES],
     "groups": ["trainers"]},
    {
        "name": "academy-leader",
        "description": "领导：数据看板",
        "scopes": ["access:services!service=dashboards", ACADEMY_PAGES],
        "groups": ["leaders"],
    },
    {
        "name": "academy-admin",
        "description": "管理员：管理用户、组、服务器和令牌；自己的服务器",
        "scopes": [
            "self", "admin-ui", "admin:users", "admin:groups", "admin:servers", "tokens",
            "list:users", "read:users", "list:groups", "read:groups", "read:roles",
            "list:services", "read:services", "read:hub", "read:metrics",
            "access:services!service=dashboards", ACADEMY_PAGES,
        ],
        "groups": ["admins"],
    },
    {
        # The academy's own pages (hubext.web) change the roster from the admins' page through the
        # same code as the CLI import (academy.hubsync.ApiHub): create and delete users
        # (admin:users), stop a disabled person's servers (servers), revoke their tokens (tokens),
        # move people between the existing role/course groups (groups). Not admin:groups (the
        # groups exist from load_groups below), not admin:servers (no server state), not proxy or shutdown.
        "name": "academy-service",
        "description": "学院页面服务：管理员页面的名册操作",
        "scopes": ["admin:users", "servers", "tokens", "groups"],
        "services": ["academy"],
    },
]
if P.ops_token_file.exists():  # made by `academy up`; the service exists only then
    roles.append({
        # The roster import's token, for a running hub (academy.hubsync.ApiHub).
        "name": "academy-ops",
        "description": "名册导入",
        "scopes": ["admin:users", "admin:groups", "admin:servers", "tokens", "list:users",
                   "read:users", "list:groups", "read:groups", "read:hub", "list:services",
                   "read:services"],
        "services": ["academy-ops"],
    })
for course in registered_courses(P):
    roles.append({
        "name": f"formgrade-{course.id}",
        "description": f"培训师：{course.title} 的评分界面",
        "scopes": [f"access:services!service={course.id}"],
        "groups": [f"formgrade-{course.id}"],
    })
    roles.append({
        # The formgrader lists and adds the course's students (hubext.nbgrader_auth).
        "name": f"course-service-{course.id}",
        "description": f"{course.title} 评分服务",
        "scopes": ["list:users", "read:users:name", "read:users:groups",
                   f"groups!group=course-{course.id}", f"read:groups!group=formgrade-{course.id}"],
        "services": [course.id],
    })

c.JupyterHub.load_roles = roles
# Groups exist even before anyone is in them (roles above are bound to them).
c.JupyterHub.load_groups = {
    name: {"users": []}
    for name in ["trainees", "trainers", "leaders", "admins", "disabled"]
    + [f"{p}-{course.id}" for course in registered_courses(P) for p in ("course", "formgrade")]
}
