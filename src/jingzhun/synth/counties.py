"""Townships of the 13 counties of 吕梁市, with the share of households and of urban households each holds.

离石区: the seven 街道 around the city seat and the five rural 镇/乡 named in the seeds (seed 000:
信义镇, 吴城镇, 西属巴街道; seed 002: 莲花池, 凤山, 田家会, 交口 街道 and 坪头, 枣林), plus 滨河街道,
城北街道 and 红眼川乡 from general knowledge. The village and community names listed are the ones the
seeds name (吴城镇's 16 villages in seed 000, 马家沟/回龙塔/归化… in 信义镇, 许家山, 瓦窑间, 上楼桥,
梁家焉, 西崖底 …); the rest are generated. The household weights and urban shares are [default]:
about 57 % of 离石区's households urban (the district is the city seat), the mountain 乡 fully rural.

Other counties: township names from general knowledge of the 2018 divisions (not verified against
GB/T 2260 township codes); the county seat town holds the urban households. Township codes follow the
statistical convention: 街道 001…, 镇 100…, 乡 200….
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Township:
    code3: str
    name: str
    weight: float  # share of the county's households
    urban: float  # share of this township's households that are urban (城镇)
    villages: tuple[str, ...] = ()  # known village names, used first
    communities: tuple[str, ...] = ()  # known 社区 names, used first


def _rural(names: str, seat: str, seat_weight: float, seat_urban: float) -> tuple[Township, ...]:
    """A county without 街道: the seat town holds the urban households; 镇 then 乡 in the listed order."""
    out = []
    rest = [n for n in names.split() if n != seat]
    towns = [seat] + [n for n in rest if n.endswith("镇")]
    xiang = [n for n in rest if not n.endswith("镇")]
    other = (1.0 - seat_weight) / max(1, len(towns) + len(xiang) - 1)
    for i, name in enumerate(towns):
        out.append(Township(f"{100 + i}", name, seat_weight if name == seat else other, seat_urban if i == 0 else 0))
    for i, name in enumerate(xiang):
        out.append(Township(f"{200 + i}", name, other, 0.0))
    return tuple(out)


WUCHENG_VILLAGES = (  # seed 000: the villages of 吴城镇's cattle, pig and relocation projects
    "下三交村", "上三交村", "上萝卜村", "下罗堡村", "陈家塔村", "上丰村", "油房坪村", "九里湾村", "街上村",
    "李家湾村", "兔坪村", "任家塔村", "上四皓村", "上王营村",
)  # fmt: skip
LISHI = (
    Township("001", "莲花池街道", 0.16, 0.98, communities=("天益社区", "莲花社区")),
    Township("002", "滨河街道", 0.15, 0.98, communities=("滨河社区",)),
    Township("003", "凤山街道", 0.10, 0.60, ("前王家坡村", "下水西村", "铨则焉村", "凤山底村"), ("西崖底社区",)),
    Township("004", "城北街道", 0.11, 0.90),
    Township("005", "西属巴街道", 0.08, 0.50, ("许家山村", "瓦窑间村")),
    Township("006", "交口街道", 0.08, 0.50, ("梁家焉村",)),
    Township("007", "田家会街道", 0.07, 0.45, ("上楼桥村", "下楼桥村")),
    Township("100", "信义镇", 0.07, 0.0, ("马家沟村", "回龙塔村", "归化村", "王营庄村", "高家沟村", "永红村")),
    Township("101", "吴城镇", 0.06, 0.0, WUCHENG_VILLAGES),
    Township("200", "坪头乡", 0.04, 0.0),
    Township("201", "红眼川乡", 0.03, 0.0),
    Township("202", "枣林乡", 0.05, 0.0),
)

_RURAL_COUNTIES = {  # code: (townships, seat town's share of households, its urban share)
    "141121": ("凤城镇 开栅镇 南庄镇 南安镇 刘胡兰镇 下曲镇 孝义镇 南武乡 西城乡 北张乡 马西乡 西槽头乡", 0.22, 0.55),
    "141122": ("天宁镇 夏家营镇 西营镇 水峪贯镇 西社镇 庞泉沟镇 洪相乡 岭底乡 东坡底乡 会立乡", 0.30, 0.6),
    "141123": (
        "蔚汾镇 魏家滩镇 瓦塘镇 康宁镇 高家村镇 罗峪口镇 蔡家会镇 交楼申乡 恶虎滩乡 东会乡 固贤乡 奥家湾乡 "
        "蔡家崖乡 贺家会乡 孟家坪乡 赵家坪乡 圪达上乡",
        0.20,
        0.55,
    ),
    "141124": (
        "临泉镇 白文镇 城庄镇 兔坂镇 克虎镇 三交镇 湍水头镇 林家坪镇 招贤镇 碛口镇 刘家会镇 丛罗峪镇 曲峪镇 "
        "八堡乡 大禹乡 玉坪乡 青凉寺乡 石白头乡 雷家碛乡 木瓜坪乡 安业乡 车赶乡",
        0.12,
        0.5,
    ),
    "141125": (
        "柳林镇 穆村镇 薛村镇 庄上镇 留誉镇 三交镇 成家庄镇 孟门镇 李家湾乡 陈家湾乡 高家沟乡 贾家垣乡 石西乡 "
        "王家沟乡 金家庄乡",
        0.22,
        0.55,
    ),
    "141126": ("灵泉镇 罗村镇 义牒镇 小蒜镇 龙交乡 和合乡 前山乡 曹家垣乡 裴沟乡", 0.25, 0.5),
    "141127": ("东村镇 岚城镇 普明镇 界河口镇 土峪乡 上明乡 王狮乡 梁家庄乡 顺会乡 河口乡 社科乡 大蛇头乡", 0.25, 0.5),
    "141128": ("圪洞镇 马坊镇 峪口镇 大武镇 北武当镇 积翠乡 开府乡 杨家会乡", 0.28, 0.5),
    "141129": ("宁乡镇 金罗镇 枝柯镇 武家庄镇 暖泉镇 下枣林乡 车鸣峪乡", 0.35, 0.6),
    "141130": ("水头镇 康城镇 双池镇 桃红坡镇 石口乡 回龙乡 温泉乡", 0.30, 0.55),
}


def _city(streets: tuple[tuple[str, float, float], ...], towns: str, xiang: str) -> tuple[Township, ...]:
    """A county-level city: 街道 around the seat, then 镇 and 乡 sharing the rest."""
    rest = (1.0 - sum(w for _, w, _ in streets)) / (len(towns.split()) + len(xiang.split()))
    return (
        *(Township(f"{i + 1:03d}", name, w, u) for i, (name, w, u) in enumerate(streets)),
        *(Township(f"{100 + i}", name, rest, 0.05) for i, name in enumerate(towns.split())),
        *(Township(f"{200 + i}", name, rest, 0.0) for i, name in enumerate(xiang.split())),
    )


COUNTY_TOWNSHIPS: dict[str, tuple[Township, ...]] = {
    "141102": LISHI,
    **{code: _rural(listed, listed.split()[0], w, u) for code, (listed, w, u) in _RURAL_COUNTIES.items()},
    "141181": _city(
        (("新义街道", 0.14, 0.95), ("中阳楼街道", 0.12, 0.95), ("振兴街道", 0.10, 0.9)),
        "兑镇镇 阳泉曲镇 下堡镇 西辛庄镇 高阳镇 梧桐镇 柱濮镇 大孝堡镇",
        "下栅乡 驿马乡 南阳乡 杜村乡",
    ),
    "141182": _city(
        (("太和桥街道", 0.16, 0.95), ("文峰街道", 0.14, 0.9)),
        "贾家庄镇 杏花村镇 冀村镇 肖家庄镇 演武镇 三泉镇 石庄镇 杨家庄镇 峪道河镇",
        "西河乡 栗家庄乡",
    ),
}


def rural_share(townships: tuple[Township, ...]) -> float:
    """Share of the county's households that are rural (农村)."""
    total = sum(t.weight for t in townships)
    return sum(t.weight * (1.0 - t.urban) for t in townships) / total
