"""ICP AGIR's part of the toolkits demo: its own target groups, good practices of Seoul, Busan
and Kaohsiung written in Korean and Chinese, and a toolkit on the circular economy cluster whose
edition (and so its PDF) carries both scripts. The texts are illustrative, in our own words, not
the cities' published ones. Registered by ``toolkits.demo``; runs after mentoring's ICP AGIR
steps and leaves what exists as it is."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.demo import DemoRun, dated, demo_at
from accounts.models import User
from mentoring.models import Commitment, Programme

from . import services
from .models import GoodPractice, PracticeReview, TargetGroup, Toolkit
from .services.target_groups import target_group_save

COORDINATOR_EMAIL = "coordinator.agir@example.org"
EXPERT_EMAIL = "expert.agir@example.org"

TARGET_GROUPS = [
    "Residents",
    "Businesses",
    "Migrants and refugees",
    "Schools and young people",
    "Households on low incomes",
    "City departments and public services",
]

# key, scheme code, city, language, title, summary, sections, target groups, SDG numbers,
# currency and budget
PRACTICES = [
    {
        "key": "seoul-repair",
        "scheme": "CE",
        "city": "서울",
        "language": "ko",
        "title": "동네 수리센터: 고쳐 쓰는 서울",
        "summary": (
            "서울의 자치구들은 주민이 가져온 가구와 가전제품을 고쳐 주는 동네 수리센터를 "
            "운영합니다. 고친 물건은 다시 쓰이거나 저렴하게 판매되어 버려지는 폐기물이 "
            "줄어듭니다."
        ),
        "challenge": (
            "대형 폐기물이 해마다 늘어나고, 아직 쓸 수 있는 물건도 수리 비용 때문에 "
            "버려지는 경우가 많았습니다."
        ),
        "actions": (
            "- 구청 건물 안에 수리 공간을 마련하고 수리 기술자를 고용했습니다.\n"
            "- 주민에게 수리 교실을 열어 간단한 수리를 직접 배우게 했습니다.\n"
            "- 고친 물건은 재사용 가게에서 판매했습니다."
        ),
        "results": (
            "첫해에 수천 점의 물건이 수리되었고, 판매 수익으로 운영비의 일부를 충당했습니다 "
            "(예시 수치)."
        ),
        "resources": "수리 기술자 4명, 작업 공간 1곳, 구청 예산.",
        "transferability": (
            "작은 공간과 몇 명의 기술자로 시작할 수 있습니다. 우치(Łódź)는 한 주거 단지에서 "
            "시범 운영을 계획하고 있습니다."
        ),
        "groups": ["Residents", "Households on low incomes"],
        "goals": [11, 12],
        "currency": "KRW",
        "budget": Decimal("250000000"),
        "period": (date(2019, 3, 1), None),
    },
    {
        "key": "kaohsiung-port-materials",
        "scheme": "CE",
        "city": "高雄",
        "language": "zh-Hant",
        "title": "港區建材再利用：高雄的循環工地",
        "summary": (
            "高雄市在公共工程中再利用拆除工地的建材，例如磚塊、鋼材與混凝土骨材，"
            "並在招標文件中訂定再生材料的比例。"
        ),
        "challenge": "營建廢棄物佔城市廢棄物的大宗，而新建材的運輸與生產排放大量溫室氣體。",
        "actions": (
            "- 建立拆除工地建材的登錄清單。\n"
            "- 在公共工程招標中加入再生材料的要求。\n"
            "- 與在地業者合作檢驗再生材料的品質。"
        ),
        "results": "試辦工程使用的建材中，有相當比例來自再利用（示意數字）。",
        "resources": "工務局專案小組、檢驗實驗室、市府預算。",
        "transferability": (
            "其他城市可以從一項公共工程開始試辦，並參考鹿特丹的建材護照（material passport）。"
        ),
        "groups": ["Businesses", "City departments and public services"],
        "goals": [11, 12],
        "currency": "TWD",
        "budget": Decimal("12000000"),
        "period": (date(2020, 1, 1), None),
    },
    {
        "key": "busan-clean-air-schools",
        "scheme": "AQ",
        "city": "부산",
        "language": "ko",
        "title": "학교 앞 맑은 공기 구역",
        "summary": (
            "부산은 초등학교 주변의 등하교 시간에 차량 통행을 줄이고 대기질 측정기를 "
            "설치하여 학생과 학부모에게 공기 상태를 알려 줍니다."
        ),
        "challenge": "항만과 도로 교통 때문에 일부 학교 주변의 미세먼지 농도가 높았습니다.",
        "actions": (
            "- 학교 앞 도로에 등하교 시간 차량 제한을 두었습니다.\n"
            "- 교실과 운동장에 대기질 측정기를 설치했습니다.\n"
            "- 학생들이 측정 결과를 수업에서 다루게 했습니다."
        ),
        "results": "시범 학교 주변의 등하교 시간 미세먼지 농도가 낮아졌습니다 (예시 수치).",
        "resources": "측정기 30대, 교통 담당 공무원, 교육청과의 협력.",
        "transferability": (
            "측정기와 학교 한 곳으로 시작할 수 있으며, 결과를 학부모와 공유하는 것이 중요합니다."
        ),
        "groups": ["Schools and young people", "Residents"],
        "goals": [3, 11],
        "currency": "KRW",
        "budget": Decimal("180000000"),
        "period": (date(2021, 3, 2), None),
    },
]

TOOLKIT = {
    "scheme": "CE",
    "title": "Circular cities: repair and reuse, from Seoul to Kaohsiung",
    "introduction": (
        "What the circular economy cluster of ICP AGIR learned from its Asian partners: repair "
        "centres run by the districts and building materials reused in public works. The "
        "practices are given in the language their cities wrote them in.\n\n"
        "순환 경제 클러스터의 사례 모음입니다. 循環經濟群組的實踐彙編。"
    ),
    "factors": [
        ("Start small", "One district's repair centre, one public works contract."),
        (
            "Count from the first month",
            "What is kept out of landfill, and what it costs, recorded from the start.",
        ),
    ],
    "practices": ["seoul-repair", "kaohsiung-port-materials"],
}

WRITTEN = date(2022, 11, 7)  # after the study visits of October 2022
PUBLISHED = date(2023, 3, 15)  # before the closing conference


def _target_groups(programme: Programme, coordinator: User) -> dict[str, TargetGroup]:
    groups = {group.name: group for group in TargetGroup.objects.filter(programme=programme)}
    for name in TARGET_GROUPS:
        if name not in groups:
            groups[name] = target_group_save(
                group=TargetGroup(programme=programme, name=name), by=coordinator
            )
    return groups


def seed_agir_toolkits(run: DemoRun) -> int:
    """ICP AGIR's target groups, practices and toolkit; returns how many practices were added."""
    programme, schemes, cities = run.made["agir"], run.made["agir_schemes"], run.made["agir_cities"]
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    expert = User.objects.get(email=EXPERT_EMAIL)
    groups = _target_groups(programme, coordinator)
    goals = {c.number: c for c in Commitment.objects.filter(framework=programme.framework_id)}
    written = ((GoodPractice, "created_at"), (GoodPractice, "updated_at"))
    reviewed = (
        (GoodPractice, "updated_at"),
        (GoodPractice, "published_at"),
        (PracticeReview, "at"),
    )
    practices, added = {}, 0
    for n, spec in enumerate(PRACTICES):
        city = cities[spec["city"]]
        found = GoodPractice.objects.filter(city=city, title=spec["title"]).first()
        if found is not None:
            practices[spec["key"]] = found
            continue
        author = User.objects.get(email=f"officer.{city.slug}@example.org")
        day = WRITTEN + timedelta(weeks=n)
        started_on, ended_on = spec["period"]
        with dated(demo_at(day), *written):
            practice = services.practice_create(
                city=city,
                author=author,
                scheme=schemes[spec["scheme"]],
                title=spec["title"],
                partner_organisations="",
                summary=spec["summary"],
                challenge=spec["challenge"],
                actions=spec["actions"],
                results=spec["results"],
                resources=spec["resources"],
                budget=spec["budget"],
                eu_contribution=None,
                currency=spec["currency"],
                started_on=started_on,
                ended_on=ended_on,
                transferability=spec["transferability"],
                contact_name="",
                contact_email="",
                links="",
                language=spec["language"],
                target_groups=[groups[name] for name in spec["groups"]],
                commitments=[goals[number] for number in spec["goals"]],
            )
        with dated(demo_at(day + timedelta(days=3)), *reviewed):
            services.practice_submit(practice, by=author)
        with dated(demo_at(day + timedelta(days=10)), *reviewed):
            practice = services.practice_publish(practice, by=expert)
        practices[spec["key"]] = practice
        added += 1
    if not Toolkit.objects.filter(
        scheme=schemes[TOOLKIT["scheme"]], title=TOOLKIT["title"]
    ).exists():
        stamps = (Toolkit, "created_at"), (Toolkit, "updated_at")
        with dated(demo_at(PUBLISHED - timedelta(days=7)), *stamps):
            toolkit = services.toolkit_create(
                scheme=schemes[TOOLKIT["scheme"]],
                by=expert,
                title=TOOLKIT["title"],
                introduction=TOOLKIT["introduction"],
                language="en",
            )
            services.toolkit_set_practices(
                toolkit, by=expert, practices=[practices[key] for key in TOOLKIT["practices"]]
            )
            services.toolkit_set_success_factors(toolkit, by=expert, factors=TOOLKIT["factors"])
        services.edition_publish(
            toolkit,
            by=expert,
            notes="First edition, for the closing conference.",
            published_on=PUBLISHED,
        )
    return added
