"""Search keys for Chinese names, computed once when a name is saved (pypinyin costs ~22 µs a
name: too slow to run at every keystroke over a county)."""

from __future__ import annotations

# Surnames whose reading differs from the character's everyday reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "盖": "ge", "乐": "yue", "尉": "yu", "缪": "miao", "覃": "qin", "种": "chong", "员": "yun",
}


def _syllables(name: str) -> list[str]:
    # Imported at the first name saved, not at start-up: its phrase tables cost 0.2 s and 55 MiB.
    from pypinyin import Style, lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default")]
    if name and name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return syllables


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin): 张三丰 → ('zsf', 'zhangsanfeng'). Unknown characters are kept."""
    syllables = _syllables(name)
    return "".join(s[:1] for s in syllables), "".join(syllables)


# The everyday reading of each special surname (pypinyin's reading of the lone character), so that
# a clerk typing "ceng" for 曾 or "dan" for 单 still finds the person; the stored key is the
# surname reading. Written out so that search needs no pypinyin at start-up.
EVERYDAY_READINGS = {
    "单": "dan", "曾": "ceng", "解": "jie", "仇": "chou", "区": "qu", "查": "cha", "朴": "pu",
    "盖": "gai", "乐": "le", "尉": "wei", "缪": "mou", "覃": "tan", "种": "zhong", "员": "yuan",
}


def key_variants(name: str, initials: str, full: str) -> list[tuple[str, str]]:
    """The stored keys, plus the everyday reading's keys for a special surname. Cheap: no
    pypinyin call, so an index of a county can be built from the stored keys."""
    variants = [(initials, full)]
    surname = name[:1]
    reading = SURNAME_READINGS.get(surname)
    if reading and full.startswith(reading):
        everyday = EVERYDAY_READINGS[surname]
        variants.append((everyday[0] + initials[1:], everyday + full[len(reading):]))
    return variants
