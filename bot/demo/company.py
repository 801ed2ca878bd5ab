"""The demo company's organisation, generated deterministically as an org file."""

from __future__ import annotations

from typing import Any

import yaml

DOMAIN = "acme.example"
BRANCHES = [
    {
        "name": "Shanghai HQ",
        "timezone": "Asia/Shanghai",
        "hq": True,
        "recognition_channel": "#kudos",
    },
    {"name": "Singapore", "timezone": "Asia/Singapore", "recognition_channel": "#kudos-sg"},
    {"name": "Berlin", "timezone": "Europe/Berlin", "recognition_channel": "#kudos-berlin"},
]
# team, branch, parent, manager name, scorecard of its members, member names
TEAMS: list[tuple[str, str, str | None, str, str | None, list[str]]] = [
    ("Leadership", "Shanghai HQ", None, "Wang Jun", None, []),
    ("People", "Shanghai HQ", "Leadership", "Zhao Min", None, []),
    ("Sales", "Shanghai HQ", "Leadership", "Li Wei", "sales_rep", []),
    (
        "Sales East",
        "Shanghai HQ",
        "Sales",
        "Chen Jing",
        "sales_rep",
        ["Ana Li", "Zhou Tao", "Sun Yue", "Hu Bin", "Guo Lin", "Ma Rui", "Lin Xiu"],
    ),
    (
        "Sales SEA",
        "Singapore",
        "Sales",
        "Tan Mei Ling",
        "sales_rep",
        ["Raj Kumar", "Siti Rahman", "Lim Wei Jie", "Nur Aisyah", "Daniel Koh", "Priya Nair"],
    ),
    (
        "Engineering",
        "Berlin",
        "Leadership",
        "Jonas Weber",
        "engineer",
        [
            "Lena Fischer",
            "Max Becker",
            "Sofia Rossi",
            "Tobias Wolf",
            "Mia Schulz",
            "Paul Richter",
            "Emma Braun",
        ],
    ),
    (
        "Support",
        "Singapore",
        "Leadership",
        "Grace Ong",
        "support_agent",
        ["Aaron Teo", "Felicia Goh", "Marcus Lee", "Chloe Ng", "Ivan Ho", "Joyce Yeo"],
    ),
    (
        "Production",
        "Shanghai HQ",
        "Leadership",
        "Huang Gang",
        "production_worker",
        ["Deng Hua", "Xu Ping", "Feng Lei", "Cao Yan", "Peng Fei", "Luo Jie", "Tang Li"],
    ),
]
HR = [("Zhao Min", "Shanghai HQ"), ("Cheryl Tan", "Singapore"), ("Anna Vogel", "Berlin")]


# The demo in Chinese (`perfbot demo --locale zh-CN`): the same people, their names as they
# write them (family name first), titles in Chinese; e-mails stay as they are.
CHINESE_NAMES = {
    "Wang Jun": "王军", "Zhao Min": "赵敏", "Li Wei": "李伟", "Chen Jing": "陈静",
    "Ana Li": "李安娜", "Zhou Tao": "周涛", "Sun Yue": "孙悦", "Hu Bin": "胡斌",
    "Guo Lin": "郭琳", "Ma Rui": "马睿", "Lin Xiu": "林秀", "Tan Mei Ling": "陈美玲",
    "Lim Wei Jie": "林伟杰", "Huang Gang": "黄刚", "Deng Hua": "邓华", "Xu Ping": "徐平",
    "Feng Lei": "冯磊", "Cao Yan": "曹燕", "Peng Fei": "彭飞", "Luo Jie": "罗杰",
    "Tang Li": "唐丽", "Cheryl Tan": "陈雪莉", "Grace Ong": "王嘉丽", "Marcus Lee": "李明轩",
    "Daniel Koh": "许丹尼", "Aaron Teo": "张亚伦", "Felicia Goh": "吴菲", "Chloe Ng": "黄可怡",
    "Ivan Ho": "何伊凡", "Joyce Yeo": "杨乔伊",
    # Colleagues abroad, transliterated as Chinese writes foreign names (a middle dot).
    "Raj Kumar": "拉杰·库马尔", "Siti Rahman": "西蒂·拉赫曼", "Nur Aisyah": "努尔·艾莎",
    "Priya Nair": "普丽娅·奈尔", "Jonas Weber": "约纳斯·韦伯", "Lena Fischer": "莱娜·菲舍尔",
    "Max Becker": "马克斯·贝克尔", "Sofia Rossi": "索菲娅·罗西", "Tobias Wolf": "托比亚斯·沃尔夫",
    "Mia Schulz": "米娅·舒尔茨", "Paul Richter": "保罗·里希特", "Emma Braun": "艾玛·布劳恩",
    "Anna Vogel": "安娜·福格尔",
}  # fmt: skip
CHINESE_TEAMS = {
    "Leadership": "管理层", "People": "人力资源部", "Sales": "销售部", "Sales East": "华东销售",
    "Sales SEA": "东南亚销售", "Engineering": "研发部", "Support": "客服部",
    "Production": "生产部",
}  # fmt: skip
CHINESE_BRANCHES = {"Shanghai HQ": "上海总部", "Singapore": "新加坡", "Berlin": "柏林"}
CHINESE_GOAL_TITLES = {  # bot/demo/goals.yaml's titles
    "Revenue": "营收", "Customer satisfaction": "客户满意度",
    "Ship the billing feature": "上线计费功能",
}  # fmt: skip
CHINESE_TITLES = {
    "CEO": "首席执行官", "Account Executive": "客户经理", "Software Engineer": "软件工程师",
    "Support Specialist": "客服专员", "Line Operator": "产线操作员",
    "HR Business Partner": "人力资源业务伙伴",
}  # fmt: skip


def email(name: str) -> str:
    """`Tan Mei Ling` -> `tan.mei.ling@acme.example`."""
    return ".".join(name.lower().split()) + "@" + DOMAIN


def org_document() -> dict[str, Any]:
    """The whole company as an org-file mapping (branches, teams, employees)."""
    teams: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    ceo = email("Wang Jun")
    people.append(
        {"email": ceo, "name": "Wang Jun", "title": "CEO", "team": "Leadership", "role": "admin"}
    )
    for team, branch, parent, mgr, card, members in TEAMS:
        teams.append({"name": team, "branch": branch, "parent": parent, "manager": email(mgr)})
        if mgr != "Wang Jun":
            boss = next((email(m) for t, _, _, m, _, _ in TEAMS if t == parent), ceo)
            role = "hr" if team == "People" else "manager"
            people.append(
                {
                    "email": email(mgr),
                    "name": mgr,
                    "title": f"Head of {team}",
                    "team": team,
                    "manager": boss,
                    "role": role,
                }
            )
        for i, name in enumerate(members):
            people.append(
                {
                    "email": email(name),
                    "name": name,
                    "team": team,
                    "manager": email(mgr),
                    "role": "employee",
                    "scorecard": card,
                    "title": _title(card),
                    "external_id": f"{_code(team)}-{i + 1:03d}",
                }
            )
    for name, branch in HR[1:]:
        people.append(
            {
                "email": email(name),
                "name": name,
                "title": "HR Business Partner",
                "team": "People",
                "branch": branch,
                "manager": email("Zhao Min"),
                "role": "hr",
            }
        )
    return {"branches": BRANCHES, "teams": teams, "employees": people}


def org_yaml(locale: str | None = None) -> str:
    """The demo org file as YAML text, loaded through the same path as any org file;
    `locale` `zh_CN`: in Chinese (every branch speaks it, so everyone does)."""
    doc = org_document()
    if locale and locale.startswith("zh"):
        doc = in_chinese(doc, locale)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def in_chinese(doc: dict[str, Any], locale: str) -> dict[str, Any]:
    """The org document with Chinese names of branches, teams and people, Chinese titles,
    and `locale` on every branch."""
    branches = [{**b, "name": branch_name(b["name"], locale), "locale": locale}
                for b in doc["branches"]]  # fmt: skip
    teams = [
        {**t, "name": team_name(t["name"], locale), "branch": branch_name(t["branch"], locale),
         "parent": t["parent"] and team_name(t["parent"], locale)}
        for t in doc["teams"]
    ]  # fmt: skip
    people = []
    for p in doc["employees"]:
        title = str(p.get("title") or "")
        if title.startswith("Head of "):
            title = f"{team_name(title.removeprefix('Head of '), locale)}负责人"
        person = {
            **p,
            "name": CHINESE_NAMES.get(p["name"], p["name"]),
            "title": CHINESE_TITLES.get(title, title),
            "team": team_name(p["team"], locale),
        }
        if "branch" in p:
            person["branch"] = branch_name(p["branch"], locale)
        people.append(person)
    return {**doc, "branches": branches, "teams": teams, "employees": people}


def team_name(name: str, locale: str | None) -> str:
    """A demo team's name in the demo's language (`Sales East`, zh: `华东销售`)."""
    return CHINESE_TEAMS.get(name, name) if locale and locale.startswith("zh") else name


def branch_name(name: str, locale: str | None) -> str:
    """A demo branch's name in the demo's language (`Shanghai HQ`, zh: `上海总部`)."""
    return CHINESE_BRANCHES.get(name, name) if locale and locale.startswith("zh") else name


def _title(card: str | None) -> str:
    return {
        "sales_rep": "Account Executive",
        "engineer": "Software Engineer",
        "support_agent": "Support Specialist",
        "production_worker": "Line Operator",
    }.get(card or "", "")


def _code(team: str) -> str:
    return "".join(w[:3] for w in team.upper().split())
